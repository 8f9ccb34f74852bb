package io.github.r2r.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TeacherRankingTextTest {
  private static final String GPT35 =
      "[1] > [4] > [2] > [5] > [3]\n\nReasoning:\n"
          + "- Passage [1] directly addresses the success of the project.\n"
          + "- Passage [4] is similar to Passage [1] but lacks detail.\n"
          + "- Passage [2] mentions key terms.\n"
          + "- Passage [5] provides context.\n"
          + "- Passage [3] discusses the Soviet Union.";

  @Test
  void parsesTheGpt35Format() {
    assertEquals(Optional.of(List.of(1, 4, 2, 5, 3)), TeacherRankingText.ranking(GPT35, 5));
    Map<Integer, String> reasons = TeacherRankingText.passageReasons(GPT35, 5);
    assertEquals(5, reasons.size());
    assertEquals("This passage directly addresses the success of the project.", reasons.get(1));
    assertEquals("This passage is similar to Passage [1] but lacks detail.", reasons.get(4));
  }

  @Test
  void skipsPartialChainsAndFindsTheFullRanking() {
    String text = "1. [4] > [5]: Passage [4] is best.\nSo: [4] > [5] > [2] > [3] > [1].";
    assertEquals(
        List.of(List.of(4, 5), List.of(4, 5, 2, 3, 1)), TeacherRankingText.rankingChains(text));
    assertEquals(Optional.of(List.of(4, 5, 2, 3, 1)), TeacherRankingText.ranking(text, 5));
  }

  @Test
  void noRankingInARefusal() {
    String text = "None of the provided passages [1], [2], [3], [4], [5] are relevant.";
    assertEquals(List.of(), TeacherRankingText.rankingChains(text));
    assertEquals(Optional.empty(), TeacherRankingText.ranking(text, 5));
    assertEquals(Map.of(), TeacherRankingText.passageReasons(text, 5));
  }

  @Test
  void chainWithARepeatedPassageIsNotARanking() {
    assertEquals(Optional.empty(), TeacherRankingText.ranking("[1] > [2] > [2]", 3));
  }

  @Test
  void reasonFormatsSeenInTheData() {
    String text =
        "[2] > [3] > [1]\n\n"
            + "- [2]: This passage directly discusses the impacts.\n"
            + "1. [3]: Mentions Truman.\n"
            + "[1] and [3] are similar in content.\n"
            + "[1] is the least relevant as it only gives background.\n"
            + "- Passage [2] is mentioned twice; the first reason wins.\n"
            + "- Passage [7] is outside the window.";
    assertEquals(
        Map.of(
            2, "This passage directly discusses the impacts.",
            3, "Mentions Truman.",
            1, "This passage is the least relevant as it only gives background."),
        TeacherRankingText.passageReasons(text, 3));
  }

  @Property(tries = 200)
  void anyPermutationWrittenAsAChainParsesBack(
      @ForAll @IntRange(min = 2, max = 20) int size, @ForAll long seed) {
    List<Integer> permutation = new ArrayList<>(IntStream.rangeClosed(1, size).boxed().toList());
    Collections.shuffle(permutation, new Random(seed));
    String chain = permutation.stream().map(i -> "[" + i + "]").collect(Collectors.joining(" > "));
    String text = "Ranking for the query \"x\" ([1] first?):\n\n" + chain + "\n\nReasoning: ...";
    assertEquals(Optional.of(permutation), TeacherRankingText.ranking(text, size));
  }
}
