package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.r2r.model.PretrainedEncoder;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of the public API, on all-MiniLM-L6-v2 (the fastest encoder) used zero-shot. */
class RerankerTest {
  static final List<String> DOCS =
      List.of(
          "The giraffe is a tall African mammal with a very long neck.",
          "Paris is the capital and most populous city of France.",
          "Photosynthesis converts light energy into chemical energy in plants.",
          "The Eiffel Tower is a wrought-iron lattice tower in Paris, France.",
          "Python is a popular programming language.",
          "France's capital city, Paris, has about two million inhabitants.");

  private static Reranker reranker;

  @BeforeAll
  static void load() {
    reranker = Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).batchSize(4).build();
  }

  @AfterAll
  static void close() {
    reranker.close();
  }

  @Test
  void relevantDocumentsComeFirst() {
    Ranking ranking = reranker.rerank("what is the capital of france", DOCS);
    assertEquals(DOCS.size(), ranking.size());
    assertTrue(Set.of("1", "5").contains(ranking.atRank(1).id()), ranking.toString());
    assertTrue(Set.of("1", "5").contains(ranking.atRank(2).id()), ranking.toString());
    for (int r = 1; r < ranking.size(); r++) {
      assertTrue(ranking.atRank(r).score() >= ranking.atRank(r + 1).score());
    }
  }

  @Test
  void scoresDoNotDependOnBatchSizeOrInputOrder() {
    String query = "tall animals in africa";
    float[] reference = scoresById(reranker.rerank(query, DOCS));
    List<String> reversed = new ArrayList<>(DOCS);
    java.util.Collections.reverse(reversed);
    try (Reranker other = Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).batchSize(1).build()) {
      Ranking r = other.rerank(query, reversed);
      for (RankedDocument d : r) {
        int originalId = DOCS.size() - 1 - Integer.parseInt(d.id());
        assertEquals(reference[originalId], d.score(), 1e-5);
      }
    }
  }

  @Test
  void concurrentCallsEqualSequentialResults() throws Exception {
    List<String> queries =
        List.of("capital of france", "giraffe neck", "plants and light", "programming", "eiffel tower",
            "how many people live in paris", "energy", "mammals");
    List<float[]> sequential = new ArrayList<>();
    for (String q : queries) {
      sequential.add(scoresById(reranker.rerank(q, DOCS)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (String q : queries) {
          futures.add(pool.submit(() -> scoresById(reranker.rerank(q, DOCS))));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        float[] expected = sequential.get(i % queries.size());
        float[] actual = futures.get(i).get();
        for (int d = 0; d < expected.length; d++) {
          assertEquals(expected[d], actual[d], 1e-5, "query " + queries.get(i % queries.size()));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void embeddingCacheGivesTheSameScores() {
    try (Reranker cached =
        Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).embeddingCache(100).build()) {
      for (String q : List.of("capital of france", "giraffe")) {
        float[] expected = scoresById(reranker.rerank(q, DOCS));
        float[] first = scoresById(cached.rerank(q, DOCS));
        float[] second = scoresById(cached.rerank(q, DOCS));
        for (int d = 0; d < expected.length; d++) {
          assertEquals(expected[d], first[d], 1e-5);
          assertEquals(first[d], second[d], 0f);
        }
      }
    }
  }

  /**
   * The cache key must tell apart texts that differ only in an unpaired surrogate (half an emoji,
   * as a cut string leaves it): UTF-8 writes it as '?', the tokenizer does not.
   */
  @Test
  void embeddingCacheTellsApartTextsThatDifferOnlyInAnUnpairedSurrogate() {
    String withQuestionMark = "Cats are pets ?";
    String withHalfAnEmoji = "Cats are pets \uD83D";
    float uncachedHalf = reranker.rerank("cats", List.of(withHalfAnEmoji)).atRank(1).score();
    assertNotEquals(
        reranker.rerank("cats", List.of(withQuestionMark)).atRank(1).score(), uncachedHalf, 0f,
        "the two texts must embed differently, or this test proves nothing");
    try (Reranker cached =
        Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).embeddingCache(10).build()) {
      cached.rerank("cats", List.of(withQuestionMark)); // cached under id "0"
      assertEquals(uncachedHalf, cached.rerank("cats", List.of(withHalfAnEmoji)).atRank(1).score(), 1e-6f);
    }
  }

  @Test
  void longDocumentIsScoredByItsBestWindow() {
    String filler = "The weather report mentioned clouds and light rain over the hills. ".repeat(60);
    String needle = "Paris is the capital and most populous city of France.";
    List<String> docs = List.of(filler + needle, filler);
    Ranking maxP = reranker.rerank("what is the capital of france", docs);
    assertEquals("0", maxP.atRank(1).id(), "the text past the first 512 tokens must count: " + maxP);
    try (Reranker truncating =
        Reranker.builder()
            .model(PretrainedEncoder.ALL_MINILM_L6_V2)
            .longDocuments(LongDocumentStrategy.firstWindowOnly(400))
            .build()) {
      Ranking cut = truncating.rerank("what is the capital of france", docs);
      assertEquals(cut.atRank(1).score(), cut.atRank(2).score(), 1e-5, "both see only the filler");
    }
  }

  @Test
  void emptyDocumentListGivesEmptyRanking() {
    assertTrue(reranker.rerank("anything", List.of()).isEmpty());
  }

  @Test
  void badInputFailsWithMessagesNamingTheProblem() {
    assertMessage("query is null", () -> reranker.rerank(null, DOCS));
    assertMessage("query is empty or blank", () -> reranker.rerank("  ", DOCS));
    assertMessage("documents is null", () -> reranker.rerank("q", (List<String>) null));
    assertMessage("document at position 1 is null", () -> reranker.rerank("q", Arrays.asList("a", null)));
    assertMessage(
        "document '1' (position 1) has empty or blank text", () -> reranker.rerank("q", List.of("a", " \n")));
    assertMessage(
        "duplicate document id 'x' at positions 0 and 2",
        () ->
            reranker.rerankDocuments(
                "q", List.of(Document.of("x", "a"), Document.of("y", "b"), Document.of("x", "c"))));
    // No-break spaces are blank to the sentence splitter (String.isBlank disagrees): no sentence, no evidence.
    assertMessage(
        "document '0' (position 0) has empty or blank text", () -> reranker.rerank("q", List.of("\u00A0\u202F")));
    assertMessage("query is empty or blank", () -> reranker.rerank("\u00A0", DOCS));
    // A zero-width space is no text either: the tokenizer removes it, so the model would see nothing.
    assertMessage(
        "document '1' (position 1) has empty or blank text", () -> reranker.rerank("q", List.of("a", "\u200b")));
    assertMessage("query is empty or blank", () -> reranker.rerank("\ufeff\u200b", DOCS));
    IllegalArgumentException huge =
        assertThrows(
            IllegalArgumentException.class, () -> reranker.rerank("q", List.of("a".repeat(100_001))));
    assertTrue(huge.getMessage().startsWith("document '0' (position 0) has 100001 characters, more than maxDocumentChars=100000"), huge.getMessage());
  }

  @Test
  void aBadRequestAmongManyIsNamedByItsPosition() {
    List<RerankRequest> requests =
        List.of(
            new RerankRequest("capital of France", List.of(Document.of("a", DOCS.get(1)))),
            new RerankRequest("q", List.of(Document.of("x", "a"), Document.of("x", "b"))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reranker.rerankAll(requests));
    assertEquals("request at position 1: duplicate document id 'x' at positions 0 and 1", e.getMessage());
  }

  @Test
  void aClosedRerankerSaysSoAndClosesOnce() {
    Reranker closed = Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).workers(2).build();
    closed.close();
    closed.close(); // a second close is a no-op, not a double free of native memory
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> closed.rerank("q", DOCS));
    assertEquals("this Reranker is closed", e.getMessage());
    assertThrows(IllegalStateException.class, () -> closed.rerankAll(List.of(new RerankRequest("q", List.of()))));
    // Every call, even one with nothing to do, and the model, which was closed with the reranker.
    assertThrows(IllegalStateException.class, () -> closed.rerankAll(List.of()));
    assertThrows(IllegalStateException.class, () -> closed.rerank("q", List.of()));
    assertEquals("this Reranker is closed", assertThrows(IllegalStateException.class, closed::model).getMessage());
  }

  @Test
  void anInterruptedCallerGetsAnIllegalStateExceptionAndTheRerankerStaysUsable() {
    Ranking before = reranker.rerank("capital of France", DOCS);
    // The interrupt comes before the call here, so that the test does not depend on timing; one that
    // arrives mid-call is seen at the next batch the same way (ParallelBatchesTest).
    Thread.currentThread().interrupt();
    try {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> reranker.rerank("capital of France", DOCS));
      assertTrue(e.getCause() instanceof InterruptedException, "cause " + e.getCause());
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is kept for the caller");
    } finally {
      Thread.interrupted();
    }
    assertEquals(before, reranker.rerank("capital of France", DOCS));
  }

  @Test
  void closeWaitsForTheCallsInProgress() throws Exception {
    Reranker shared = Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).build();
    CountDownLatch callStarted = new CountDownLatch(1);
    CountDownLatch mayGoOn = new CountDownLatch(1);
    // A document list that holds the call at its first read, so close() comes while the call is in progress.
    List<Document> documents = new java.util.AbstractList<>() {
      @Override
      public Document get(int i) {
        if (i == 0 && callStarted.getCount() > 0) {
          callStarted.countDown();
          try {
            mayGoOn.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return Document.of(Integer.toString(i), DOCS.get(i));
      }

      @Override
      public int size() {
        return DOCS.size();
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Ranking> call = pool.submit(() -> shared.rerankDocuments("capital of France", documents));
      callStarted.await();
      Future<?> closing = pool.submit(shared::close);
      Thread.sleep(200);
      assertTrue(!closing.isDone(), "close() returned while a call was still in progress");
      mayGoOn.countDown();
      assertEquals(DOCS.size(), call.get().size());
      closing.get();
      assertThrows(IllegalStateException.class, () -> shared.rerank("q", DOCS));
    } finally {
      mayGoOn.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void nullPrecisionIsRejected() {
    assertThrows(NullPointerException.class, () -> Reranker.builder().precision(null));
  }

  @Test
  void missingGpuFailsClearly() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).device(Device.gpu()).build());
    assertTrue(e.getMessage().contains("GPU(s)") && e.getMessage().contains("pytorch-native-cu"), e.getMessage());
  }

  @Test
  void malformedModelDirectoryFailsClearly(@TempDir Path dir) {
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> Reranker.builder().model(dir).build());
    assertTrue(e.getMessage().contains("has no config.json"), e.getMessage());
  }

  static float[] scoresById(Ranking ranking) {
    float[] scores = new float[ranking.size()];
    for (RankedDocument d : ranking) {
      scores[Integer.parseInt(d.id())] = d.score();
    }
    return scores;
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertEquals(expected, e.getMessage());
  }
}
