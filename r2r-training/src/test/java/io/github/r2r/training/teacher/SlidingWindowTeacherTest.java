package io.github.r2r.training.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SlidingWindowTeacherTest {

  /** The acceptance case: 30 passages, window 10, step 5, the true top 5 end on top, in order. */
  @Property(tries = 100)
  void thirtyPassagesWindowTenStepFiveBringTheTrueTopFiveToTheTop(
      @ForAll("shuffledRelevance") List<Integer> relevanceInInputOrder) throws Exception {
    List<Passage> passages = passagesWithRelevance(relevanceInInputOrder);
    HiddenRelevanceTeacher hidden =
        new HiddenRelevanceTeacher(relevanceById(passages, relevanceInInputOrder));

    TeacherJudgement judgement = new SlidingWindowTeacher(hidden, 10, 5).judge("q", passages);

    List<Integer> topFiveRelevance =
        judgement.permutation().subList(0, 5).stream().map(relevanceInInputOrder::get).toList();
    assertEquals(List.of(29, 28, 27, 26, 25), topFiveRelevance);
    assertEquals(5, hidden.calls().size());
    assertEquals(30, judgement.size());
  }

  @Provide
  Arbitrary<List<Integer>> shuffledRelevance() {
    return Arbitraries.shuffle(IntStream.range(0, 30).boxed().toList());
  }

  /**
   * For any list length, window and step: the result is a permutation, the number of calls is
   * {@link SlidingWindowTeacher#windowCount}, and the true top {@code window - step} lead in order.
   */
  @Property(tries = 300)
  void anyListLengthWindowAndStep(
      @ForAll @IntRange(min = 1, max = 60) int count,
      @ForAll @IntRange(min = 2, max = 12) int window,
      @ForAll @IntRange(min = 1, max = 11) int stepCandidate,
      @ForAll long seed)
      throws Exception {
    int step = 1 + (stepCandidate - 1) % (window - 1);
    List<Integer> relevance =
        IntStream.range(0, count).boxed().collect(java.util.stream.Collectors.toList());
    java.util.Collections.shuffle(relevance, new java.util.Random(seed));
    List<Passage> passages = passagesWithRelevance(relevance);
    HiddenRelevanceTeacher hidden = new HiddenRelevanceTeacher(relevanceById(passages, relevance));
    SlidingWindowTeacher teacher = new SlidingWindowTeacher(hidden, window, step);

    TeacherJudgement judgement = teacher.judge("q", passages);

    assertEquals(teacher.windowCount(count), hidden.calls().size());
    assertEquals(count, judgement.permutation().stream().distinct().count());
    int guaranteed = Math.min(window - step, count);
    List<Integer> expectedTop = new ArrayList<>();
    for (int r = count - 1; r >= count - guaranteed; r--) {
      expectedTop.add(r);
    }
    assertEquals(
        expectedTop,
        judgement.permutation().subList(0, guaranteed).stream().map(relevance::get).toList());
  }

  /** 12 passages, window 6, step 4: windows [6, 12), [2, 8), then [0, 4) clamped at the front. */
  @Test
  void windowsSlideFromBackToFront() throws Exception {
    List<Integer> relevance = IntStream.range(0, 12).boxed().toList();
    List<Passage> passages = passagesWithRelevance(relevance);
    HiddenRelevanceTeacher hidden = new HiddenRelevanceTeacher(relevanceById(passages, relevance));

    new SlidingWindowTeacher(hidden, 6, 4).judge("q", passages);

    assertEquals(
        List.of(
            List.of("d6", "d7", "d8", "d9", "d10", "d11"),
            List.of("d2", "d3", "d4", "d5", "d11", "d10"),
            List.of("d0", "d1", "d11", "d10")),
        hidden.calls());
  }

  @Test
  void mergedJudgementKeepsTheLatestReasonsAndSumsTheCost() throws Exception {
    List<Integer> relevance = IntStream.range(0, 30).boxed().toList();
    List<Passage> passages = passagesWithRelevance(relevance);

    TeacherJudgement judgement =
        new SlidingWindowTeacher(
                new HiddenRelevanceTeacher(relevanceById(passages, relevance)), 10, 5)
            .judge("q", passages);

    assertEquals(new RankedPassage(29, "call 5", "call 5", "", false), judgement.ranking().get(0));
    assertEquals(
        "call 1", judgement.ranking().get(29).directReason(), "judged only in the first window");
    assertEquals(new TokenUsage(50, 25), judgement.usage());
    assertEquals(
        List.of("answer 1", "answer 2", "answer 3", "answer 4", "answer 5"),
        judgement.rawResponses());
  }

  @Test
  void aListThatFitsOneWindowIsPassedThrough() throws Exception {
    List<Integer> relevance = List.of(3, 1, 4, 0, 2);
    List<Passage> passages = passagesWithRelevance(relevance);
    HiddenRelevanceTeacher hidden = new HiddenRelevanceTeacher(relevanceById(passages, relevance));

    TeacherJudgement judgement = new SlidingWindowTeacher(hidden, 5, 2).judge("q", passages);

    assertEquals(List.of(List.of("d0", "d1", "d2", "d3", "d4")), hidden.calls());
    assertEquals(List.of(2, 0, 4, 1, 3), judgement.permutation());
  }

  @Test
  void windowAndStepAreValidated() {
    HiddenRelevanceTeacher hidden = new HiddenRelevanceTeacher(Map.of());
    IllegalArgumentException window =
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindowTeacher(hidden, 1, 1));
    assertEquals("windowSize must be >= 2, got 1", window.getMessage());
    IllegalArgumentException step =
        assertThrows(
            IllegalArgumentException.class, () -> new SlidingWindowTeacher(hidden, 10, 10));
    assertEquals(
        "step must be between 1 and windowSize - 1 = 9 so that windows overlap, got 10",
        step.getMessage());
    assertEquals(5, new SlidingWindowTeacher(hidden, 10, 5).windowCount(30));
    assertEquals(6, new SlidingWindowTeacher(hidden, 10, 5).windowCount(32));
    assertEquals(1, new SlidingWindowTeacher(hidden, 10, 5).windowCount(10));
  }

  /** Passage i has id "d" + i and a text stating its relevance. */
  private static List<Passage> passagesWithRelevance(List<Integer> relevance) {
    List<Passage> passages = new ArrayList<>();
    for (int i = 0; i < relevance.size(); i++) {
      passages.add(new Passage("d" + i, "passage with relevance " + relevance.get(i)));
    }
    return passages;
  }

  private static Map<String, Integer> relevanceById(
      List<Passage> passages, List<Integer> relevance) {
    Map<String, Integer> byId = new HashMap<>();
    for (int i = 0; i < passages.size(); i++) {
      byId.put(passages.get(i).id(), relevance.get(i));
    }
    return byId;
  }
}
