package io.github.r2r.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrecRunTest {
  @TempDir Path dir;

  private Path write(String content) throws IOException {
    return Files.writeString(dir.resolve("run.txt"), content);
  }

  @Test
  void ranksByScoreThenDocidDescendingAndIgnoresTheRankColumn() throws IOException {
    // The rank column claims d1 first; trec_eval ignores it and sorts by score.
    // d10, d9 and d2 tie at 1.5: reverse lexicographic order is d9 > d2 > d10 ("9" > "2" > "1").
    TrecRun run =
        TrecRun.read(
            write(
                "q1 Q0 d1 1 0.5 tag\n"
                    + "q1 Q0 d10 2 1.5 tag\n"
                    + "q1 Q0 d9 3 1.5 tag\n"
                    + "q1 Q0 d2 4 1.5 tag\n"
                    + "q1 Q0 d3 5 2.0 tag\n"
                    + "q2 Q0 d1 1 -3 other\n"));
    assertEquals(List.of("d3", "d9", "d2", "d10", "d1"), run.rankedDocids("q1"));
    assertEquals(List.of("q1", "q2"), List.copyOf(run.queryIds()));
    assertEquals(new ScoredDocument("d1", -3.0), run.ranking("q2").get(0));
    assertTrue(run.ranking("q3").isEmpty());
  }

  @Test
  void zeroAndNegativeZeroTieAndInfiniteScoresReadAsTrecEvalReadsThem() throws IOException {
    // trec_eval compares with < and >: 0.0 and -0.0 tie and the docid decides (b above a); a rank
    // column that is not a number is ignored, as trec_eval never reads it.
    TrecRun zeros = TrecRun.read(write("q1 Q0 a 1 0.0000 t\nq1 Q0 b - -0.0000 t\n"));
    assertEquals(List.of("b", "a"), zeros.rankedDocids("q1"));
    // atof reads Python's "inf" and "-inf"; Double.parseDouble alone does not.
    TrecRun infinite = TrecRun.read(write("q1 Q0 a 1 -inf t\nq1 Q0 b 2 INF t\nq1 Q0 c 3 1.5 t\n"));
    assertEquals(List.of("b", "c", "a"), infinite.rankedDocids("q1"));
    assertEquals(Double.NEGATIVE_INFINITY, infinite.ranking("q1").get(2).score());
  }

  @Test
  void writesAndReadsBack() throws IOException {
    TrecRun run =
        TrecRun.builder()
            .add("q1", "a", 0.1)
            .add("q1", "b", 0.30000000000000004)
            .add("q2", "c", -1)
            .build();
    Path file = dir.resolve("out.run");
    run.write(file, "r2r");
    assertEquals(
        "q1 Q0 b 1 0.30000000000000004 r2r\nq1 Q0 a 2 0.1 r2r\nq2 Q0 c 1 -1.0 r2r\n",
        Files.readString(file));
    TrecRun back = TrecRun.read(file);
    assertEquals(run.ranking("q1"), back.ranking("q1"));
    assertEquals(run.ranking("q2"), back.ranking("q2"));
  }

  @Test
  void rankedListsKeepTheirOrder() {
    TrecRun run = TrecRun.fromRankedLists(Map.of("q", List.of("z", "a", "m")));
    assertEquals(List.of("z", "a", "m"), run.rankedDocids("q"));
    assertEquals(-1.0, run.ranking("q").get(0).score());
  }

  @Test
  void malformedLinesNameFileAndLine() throws IOException {
    Path fields = write("q1 Q0 d1 1 0.5 tag\nq1 Q0 d2 2 0.4\n");
    assertEquals(
        fields
            + ":2: expected 6 fields 'qid Q0 docid rank score tag' but found 5: 'q1 Q0 d2 2 0.4'",
        assertThrows(DataFormatException.class, () -> TrecRun.read(fields)).getMessage());

    Path score = write("q1 Q0 d1 1 high tag\n");
    assertEquals(
        score + ":1: score 'high' is not a number",
        assertThrows(DataFormatException.class, () -> TrecRun.read(score)).getMessage());

    Path duplicate = write("q1 Q0 d1 1 0.5 tag\nq2 Q0 d1 1 0.5 tag\nq1 Q0 d1 2 0.4 tag\n");
    assertEquals(
        duplicate + ":3: document 'd1' is retrieved twice for query 'q1' (first at line 1)",
        assertThrows(DataFormatException.class, () -> TrecRun.read(duplicate)).getMessage());
  }

  @Test
  void builderAndWriterRejectBadInput() {
    TrecRun.Builder builder = TrecRun.builder().add("q", "d", 1);
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> builder.add("q", "d", 2));
    assertEquals("document 'd' is retrieved twice for query 'q'", twice.getMessage());
    IllegalArgumentException nan =
        assertThrows(IllegalArgumentException.class, () -> builder.add("q", "e", Double.NaN));
    assertEquals("score of document 'e' is NaN", nan.getMessage());
    IllegalArgumentException tag =
        assertThrows(
            IllegalArgumentException.class,
            () -> builder.build().write(dir.resolve("x.run"), "my run"));
    assertEquals("run tag must be non-empty without whitespace, got 'my run'", tag.getMessage());
  }
}
