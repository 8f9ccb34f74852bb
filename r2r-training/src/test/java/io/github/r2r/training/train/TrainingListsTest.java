package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainingListsTest {
  private static TrainingPassage passage(String id, Integer label) {
    TrainingPassage.Builder builder = TrainingPassage.builder(id, "text of " + id);
    if (label != null) {
      builder.label(label);
    }
    return builder.build();
  }

  @Test
  void teacherOrderBecomesOneBasedRanksOfThePassagesInTheirOriginalOrder() {
    TrainingQuery query =
        TrainingQuery.withTeacherOrder(
            "q1",
            "what is a river",
            List.of(passage("a", null), passage("b", null), passage("c", null)),
            List.of(2, 0, 1),
            "test");

    List<TrainingList> lists = TrainingLists.fromTeacherOrder("teacher", List.of(query));

    assertEquals(1, lists.size());
    TrainingList list = lists.get(0);
    assertEquals("teacher", list.source());
    assertEquals("q1", list.qid());
    assertEquals("what is a river", list.query());
    assertEquals(List.of("text of a", "text of b", "text of c"), list.passages());
    // c is the teacher's first, a second, b third.
    assertArrayEquals(new int[] {2, 3, 1}, list.teacherRanks());
    assertNull(list.labels(), "no labels were given");
  }

  @Test
  void labelsComeAlongOnlyWhenEveryPassageHasOne() {
    TrainingQuery complete =
        TrainingQuery.withTeacherOrder(
            "q1", "query one", List.of(passage("a", 0), passage("b", 1)), List.of(1, 0), "test");
    TrainingQuery partial =
        TrainingQuery.withTeacherOrder(
            "q2", "query two", List.of(passage("a", 1), passage("b", null)), List.of(0, 1), "test");

    List<TrainingList> lists =
        TrainingLists.fromTeacherOrder("teacher", List.of(complete, partial));

    assertArrayEquals(new float[] {0, 1}, lists.get(0).labels());
    assertArrayEquals(new int[] {2, 1}, lists.get(0).teacherRanks());
    assertNull(lists.get(1).labels());
  }

  @Test
  void queriesWithoutTeacherOrderOrWithASinglePassageAreSkipped() {
    TrainingQuery unordered =
        TrainingQuery.of("q1", "query one", List.of(passage("a", 1), passage("b", 0)), "test");
    TrainingQuery single =
        TrainingQuery.withTeacherOrder(
            "q2", "query two", List.of(passage("a", null)), List.of(0), "test");
    TrainingQuery ordered =
        TrainingQuery.withTeacherOrder(
            "q3",
            "query three",
            List.of(passage("a", null), passage("b", null)),
            List.of(0, 1),
            "test");

    List<TrainingList> lists =
        TrainingLists.fromTeacherOrder("teacher", List.of(unordered, single, ordered));

    assertEquals(List.of("q3"), lists.stream().map(TrainingList::qid).toList());
  }

  @Test
  void gradedSamplingSkipsQueriesWithNothingToPrefer() {
    TrainingQuery allZero =
        TrainingQuery.of("q1", "query one", List.of(passage("a", 0), passage("b", 0)), "test");
    TrainingQuery oneJudged =
        TrainingQuery.of("q2", "query two", List.of(passage("a", 2), passage("b", null)), "test");

    assertEquals(
        List.of(), TrainingLists.sampleGraded("trec", List.of(allZero, oneJudged), 4, 3, 1));
  }

  @Test
  void gradedSamplingIsReproducibleForASeedAndDrivenByIt() {
    List<TrainingQuery> queries = List.of(query(new Integer[] {3, 0, 1, null, 0, 2, 0, 0}));

    assertEquals(
        describe(TrainingLists.sampleGraded("trec", queries, 4, 5, 11)),
        describe(TrainingLists.sampleGraded("trec", queries, 4, 5, 11)));
    Set<List<String>> samples = new HashSet<>();
    for (long seed = 0; seed < 5; seed++) {
      samples.add(describe(TrainingLists.sampleGraded("trec", queries, 4, 5, seed)));
    }
    assertTrue(samples.size() > 1, "five seeds gave the same lists");
  }

  /**
   * For any mix of graded and unjudged passages: every list holds a passage of the best grade, only
   * judged passages with their own labels, no passage twice, and {@code min(listSize, judged)}
   * entries.
   */
  @Property(tries = 200)
  void everySampledListHasABestGradedAnchorAndOnlyJudgedPassages(
      @ForAll("labels") List<Integer> labels,
      @ForAll @IntRange(min = 2, max = 6) int listSize,
      @ForAll @IntRange(min = 1, max = 3) int listsPerQuery,
      @ForAll long seed) {
    TrainingQuery query = query(labels.toArray(new Integer[0]));
    Map<String, Integer> labelByText = new HashMap<>();
    int judged = 0;
    int best = 0;
    for (TrainingPassage p : query.passages()) {
      if (p.label().isPresent()) {
        labelByText.put(p.text(), p.label().getAsInt());
        judged++;
        best = Math.max(best, p.label().getAsInt());
      }
    }

    List<TrainingList> lists =
        TrainingLists.sampleGraded("trec", List.of(query), listSize, listsPerQuery, seed);

    if (best == 0 || judged < 2) {
      assertEquals(List.of(), lists);
      return;
    }
    assertEquals(listsPerQuery, lists.size());
    for (TrainingList list : lists) {
      assertEquals(Math.min(listSize, judged), list.size());
      assertNull(list.teacherRanks());
      assertEquals(
          list.size(),
          new HashSet<>(list.passages()).size(),
          "no passage twice: " + list.passages());
      boolean hasBest = false;
      for (int i = 0; i < list.size(); i++) {
        Integer label = labelByText.get(list.passages().get(i));
        assertTrue(label != null, "unjudged passage used: " + list.passages().get(i));
        assertEquals(label, (int) list.labels()[i], "label of " + list.passages().get(i));
        hasBest |= label == best;
      }
      assertTrue(hasBest, "no passage of grade " + best + " in " + list.passages());
    }
  }

  @Provide
  Arbitrary<List<Integer>> labels() {
    return Arbitraries.integers().between(0, 3).injectNull(0.3).list().ofMinSize(1).ofMaxSize(10);
  }

  private static TrainingQuery query(Integer[] labels) {
    List<TrainingPassage> passages = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      passages.add(passage("p" + i, labels[i]));
    }
    return TrainingQuery.of("q", "a query", passages, "test");
  }

  private static List<String> describe(List<TrainingList> lists) {
    List<String> out = new ArrayList<>();
    for (TrainingList list : lists) {
      out.add(list.passages() + " " + Arrays.toString(list.labels()));
    }
    return out;
  }

  @Test
  void teacherScoreListsHoldATopThreePassageAndStandardisedScores() {
    Map<String, Double> scores = new HashMap<>();
    Map<String, String> texts = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      scores.put("d" + i, (double) i); // d9 is the teacher's best
      texts.put("d" + i, "text " + i);
    }
    scores.put("no-text", 100.0); // scored but absent from the candidates: skipped
    List<TrainingList> lists =
        TrainingLists.sampleTeacherScores(
            "ens", Map.of("q1", "query"), Map.of("q1", texts), Map.of("q1", scores), 4, 20, 7L);
    assertEquals(20, lists.size());
    double mean = 4.5;
    double sd = Math.sqrt(8.25); // population sd of 0..9
    for (TrainingList list : lists) {
      assertEquals(4, list.size());
      assertTrue(
          list.passages().stream().anyMatch(t -> Set.of("text 7", "text 8", "text 9").contains(t)),
          "every list holds one of the teacher's top 3: " + list.passages());
      float[] labels = list.gradedLabels().orElseThrow();
      for (int i = 0; i < list.size(); i++) {
        int score = Integer.parseInt(list.passages().get(i).substring("text ".length()));
        assertEquals((score - mean) / sd, labels[i], 1e-5);
      }
      assertEquals(4, new HashSet<>(list.passages()).size(), "no passage twice in a list");
    }
  }

  @Test
  void teacherScoreListsSkipQueriesWithFewerThanTwoScoredPassages() {
    List<TrainingList> lists =
        TrainingLists.sampleTeacherScores(
            "ens",
            Map.of("q1", "query"),
            Map.of("q1", Map.of("a", "text a")),
            Map.of("q1", Map.of("a", 1.0, "b", 2.0)),
            4,
            3,
            7L);
    assertTrue(lists.isEmpty());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0 | 1 | listSize must be at least 2, got 0",
        "-3 | 1 | listSize must be at least 2, got -3",
        "1 | 1 | listSize must be at least 2, got 1",
        "4 | 0 | listsPerQuery must be at least 1, got 0",
        "4 | -1 | listsPerQuery must be at least 1, got -1",
      })
  void aListShapeThatCannotRankIsRejectedByArgumentName(int listSize, int listsPerQuery, String message) {
    List<TrainingQuery> graded = List.of(query(new Integer[] {3, 0, 1, 2}));
    IllegalArgumentException fromGraded =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainingLists.sampleGraded("trec", graded, listSize, listsPerQuery, 1));
    assertEquals(message, fromGraded.getMessage());

    IllegalArgumentException fromTeacher =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TrainingLists.sampleTeacherScores(
                    "ens",
                    Map.of("q1", "query"),
                    Map.of("q1", Map.of("a", "text a", "b", "text b")),
                    Map.of("q1", Map.of("a", 1.0, "b", 2.0)),
                    listSize,
                    listsPerQuery,
                    7L));
    assertEquals(message, fromTeacher.getMessage());
  }

  @Test
  void nullArgumentsAreRefusedByName() {
    IllegalArgumentException noQueries =
        assertThrows(IllegalArgumentException.class, () -> TrainingLists.sampleGraded("trec", null, 4, 1, 1));
    IllegalArgumentException noSource =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainingLists.sampleGraded(null, List.of(query(new Integer[] {3, 0, 1, 2})), 4, 1, 1));
    IllegalArgumentException noTeacherQueries =
        assertThrows(IllegalArgumentException.class, () -> TrainingLists.fromTeacherOrder("r2r", null));

    assertEquals("queries is null", noQueries.getMessage());
    assertEquals("source is null", noSource.getMessage());
    assertEquals("queries is null", noTeacherQueries.getMessage());
  }
}
