package io.github.r2r.training.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ResponseParserTest {
  private final ResponseParser parser = new ResponseParser(0.5);

  @Test
  void readsIdentifiersAndReasons() throws Exception {
    ImmutableList<RankedPassage> ranking = parser.parse(Answers.ranking(2, 1), 2);

    assertEquals(
        List.of(
            new RankedPassage(1, "direct 2", "listwise 2", "sentence 2", false),
            new RankedPassage(0, "direct 1", "listwise 1", "sentence 1", false)),
        ranking);
  }

  @Test
  void acceptsABareListIdentifiersInBracketsAndMissingReasonFields() throws Exception {
    String answer =
        "[{\"identifier\": \"[2]\"}, {\"identifier\": 1, \"direct_reason\": \" why \"}]";

    assertEquals(
        List.of(
            new RankedPassage(1, "", "", "", false), new RankedPassage(0, "why", "", "", false)),
        parser.parse(answer, 2));
  }

  @Test
  void ignoresThinkingAndProseAroundTheJson() throws Exception {
    String answer =
        "<think>Passage 1 mentions {braces}.</think>\nSure, here it is: "
            + Answers.ranking(1, 2)
            + " Hope this helps.";

    assertEquals(List.of(0, 1), indexes(parser.parse(answer, 2)));
  }

  @Test
  void findsTheRankingAmongOtherBracesAndCodeBlocks() throws Exception {
    String json = Answers.ranking(2, 1);
    // Each of these once failed as "not a JSON object": the text from the first '{' to the last '}'
    // took in prose or code around the JSON.
    assertEquals(List.of(1, 0), indexes(parser.parse(json + " Note: passage [2] {best}", 2)));
    assertEquals(List.of(1, 0), indexes(parser.parse("I ranked them as {2} > {1}: " + json, 2)));
    assertEquals(
        List.of(1, 0),
        indexes(
            parser.parse(
                "Sorting:\n```python\nsorted(p, key=lambda x: {x: 1}[x])\n```\n```json\n"
                    + json
                    + "\n```",
                2)));
    assertEquals(
        List.of(1, 0),
        indexes(parser.parse("```\nranking = {2, 1}\n```\nThe answer: " + json, 2)));
  }

  @Test
  void answersWithoutAUsableObjectKeepTheirMessages() {
    assertRejected(
        "I ranked {2} > {1}: {\"ranking\": [2, 1]}",
        2,
        "the JSON object has no \"ranked_passages\" list");
    // A ranking cut off after its first entry holds a complete object, but not the answer's own.
    String ranking = Answers.ranking(1, 2);
    String cutOff = ranking.substring(0, ranking.indexOf("},{") + 2);
    InvalidResponseException e =
        assertThrows(InvalidResponseException.class, () -> parser.parse(cutOff, 2));
    assertTrue(
        e.getMessage().startsWith("the answer is not a JSON object (it starts with '{\"ranked"),
        e.getMessage());
  }

  @Test
  void negativeIdentifierIsNotReadAsAPassageNumber() {
    assertRejected(
        "{\"ranked_passages\": [{\"identifier\": -2}, {\"identifier\": 1}]}",
        2,
        "identifier -2 is not one of the passages 1 to 2");
    assertRejected(
        "{\"ranked_passages\": [{\"identifier\": \"[-2]\"}, {\"identifier\": 1}]}",
        2,
        "identifier -2 is not one of the passages 1 to 2");
  }

  /** A hyphen joining a word to the number is no minus sign. */
  @Test
  void aHyphenatedLabelIsReadAsItsPassageNumber() throws Exception {
    assertEquals(
        List.of(2, 0, 1),
        indexes(
            parser.parse(
                "{\"ranked_passages\": [{\"identifier\": \"passage-3\"}, {\"identifier\": \"ID-1\"},"
                    + " {\"identifier\": \"[2]\"}]}",
                3)));
  }

  @Test
  void wholeNumbersWrittenAsDecimalsAreIdentifiers() throws Exception {
    assertEquals(
        List.of(1, 0),
        indexes(
            parser.parse(
                "{\"ranked_passages\": [{\"identifier\": 2.0}, {\"identifier\": 1e0}]}", 2)));
    assertRejected(
        "{\"ranked_passages\": [{\"identifier\": 2.5}]}",
        3,
        "entry 1 of ranked_passages has identifier 2.5, which is not a whole number");
    assertRejected(
        "{\"ranked_passages\": [{\"identifier\": 12345678901}]}",
        3,
        "identifier 12345678901 is not one of the passages 1 to 3");
  }

  @Test
  void rejectsAnswersThatCannotBeUsedSafely() {
    assertRejected(
        "no JSON here", 2, "the answer is not a JSON object (it starts with 'no JSON here')");
    assertRejected("{\"ranking\": [1, 2]}", 2, "the JSON object has no \"ranked_passages\" list");
    assertRejected("{\"ranked_passages\": []}", 2, "the ranked_passages list is empty");
    assertRejected(
        "{\"ranked_passages\": [1, 2]}", 2, "entry 1 of ranked_passages is not a JSON object");
    assertRejected(
        "{\"ranked_passages\": [{\"identifier\": \"first\"}]}",
        1,
        "entry 1 of ranked_passages has no numeric \"identifier\"");
    assertRejected(Answers.ranking(0, 1), 2, "identifier 0 is not one of the passages 1 to 2");
    assertRejected(
        Answers.ranking(1, 2, 1), 3, "identifier 1 appears more than once; rank each passage once");
    assertRejected(
        Answers.ranking(2),
        4,
        "3 of the 4 passages are missing from the ranking (identifiers 1, 3, 4); rank all of them");
  }

  @Test
  void withNoRepairAllowedAnyMissingPassageIsRejected() {
    ResponseParser strict = new ResponseParser(0);

    InvalidResponseException e =
        assertThrows(InvalidResponseException.class, () -> strict.parse(Answers.ranking(2, 1), 3));
    assertEquals(
        "1 of the 3 passages are missing from the ranking (identifiers 3); rank all of them",
        e.getMessage());
  }

  @Test
  void missingFractionMustBeBelowOne() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ResponseParser(1.0));
    assertEquals("maxMissingFraction must be in [0, 1), got 1.0", e.getMessage());
  }

  /**
   * Any answer that ranks a subset of the passages, with at most half missing, keeps the teacher's
   * order for what it ranked and appends the rest in input order, flagged.
   */
  @Property(tries = 200)
  void repairKeepsTheTeachersOrderAndAppendsTheRestInInputOrder(
      @ForAll("partialRankings") List<Integer> answered) throws Exception {
    int count = answered.get(0);
    List<Integer> identifiers = answered.subList(1, answered.size());
    ImmutableList<RankedPassage> ranking =
        parser.parse(Answers.ranking(identifiers.stream().mapToInt(i -> i).toArray()), count);

    List<Integer> expected = new ArrayList<>();
    identifiers.forEach(i -> expected.add(i - 1));
    Set<Integer> given = Set.copyOf(identifiers);
    List<Integer> missing =
        IntStream.range(0, count).filter(i -> !given.contains(i + 1)).boxed().toList();
    expected.addAll(missing);
    assertEquals(expected, indexes(ranking));
    assertEquals(
        Set.copyOf(missing),
        ranking.stream()
            .filter(RankedPassage::repaired)
            .map(RankedPassage::inputIndex)
            .collect(Collectors.toSet()));
  }

  /** [count, identifiers...]: a shuffled subset of 1..count holding at least half of them. */
  @Provide
  Arbitrary<List<Integer>> partialRankings() {
    return Arbitraries.integers()
        .between(1, 20)
        .flatMap(
            count ->
                Combinators.combine(
                        Arbitraries.shuffle(IntStream.rangeClosed(1, count).boxed().toList()),
                        Arbitraries.integers().between(count - count / 2, count))
                    .as(
                        (shuffled, kept) -> {
                          List<Integer> result = new ArrayList<>();
                          result.add(count);
                          result.addAll(shuffled.subList(0, kept));
                          return result;
                        }));
  }

  private void assertRejected(String answer, int count, String message) {
    InvalidResponseException e =
        assertThrows(InvalidResponseException.class, () -> parser.parse(answer, count), answer);
    assertEquals(message, e.getMessage());
  }

  private static List<Integer> indexes(List<RankedPassage> ranking) {
    return ranking.stream().map(RankedPassage::inputIndex).toList();
  }

  @Test
  void previewShortensLongAnswers() {
    String preview = ResponseParser.preview("word ".repeat(40));
    assertTrue(preview.endsWith("..."), preview);
    assertEquals(83, preview.length());
  }
}
