package io.github.r2r.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {
  private static final SentenceSplitter SPLITTER = SentenceSplitter.english();

  private static List<String> texts(String text) {
    return SPLITTER.split(text).stream().map(Sentence::text).toList();
  }

  @Test
  void splitsAfterTerminalMarksBeforeCapitalsDigitsAndQuotes() {
    assertEquals(
        List.of("Fleas live a year.", "Really?", "Yes!", "20 days is the minimum.", "\"Quoted,\" he said…", "Done"),
        texts("Fleas live a year. Really? Yes! 20 days is the minimum. \"Quoted,\" he said… Done"));
  }

  @Test
  void keepsClosingQuotesAndBracketsWithTheirSentence() {
    assertEquals(
        List.of("He said \"stop.\"", "(It worked.)", "Then it rained."),
        texts("He said \"stop.\" (It worked.) Then it rained."));
  }

  @Test
  void doesNotSplitBeforeLowerCaseOrWithoutSpace() {
    assertEquals(List.of("Use a fork, etc. and a knife.", "See x.y.z today."),
        texts("Use a fork, etc. and a knife. See x.y.z today."));
  }

  @Test
  void doesNotSplitAfterAbbreviationsInitialismsInitialsOrDecimals() {
    assertEquals(
        List.of("Dr. Smith moved to the U.S. In 2010 he wrote e.g. Books about i.e. Cats."),
        texts("Dr. Smith moved to the U.S. In 2010 he wrote e.g. Books about i.e. Cats."));
    assertEquals(List.of("J. K. Rowling earned 3.5 million in Jan. 2001."),
        texts("J. K. Rowling earned 3.5 million in Jan. 2001."));
  }

  @Test
  void splitsSentencesGluedWithoutSpace() {
    assertEquals(
        List.of("It costs $92.00 per yard of concrete.", "So 10 yards cost $1000.", "Mr.Smith agrees."),
        texts("It costs $92.00 per yard of concrete.So 10 yards cost $1000. Mr.Smith agrees."));
    assertEquals(List.of("Use Node.JS or e.g.Python and U.S.Army data."),
        texts("Use Node.JS or e.g.Python and U.S.Army data."));
  }

  @Test
  void listNumberAtSentenceStartDoesNotEndIt() {
    assertEquals(List.of("5. Cancel.", "A flea can live up to a year."),
        texts("5. Cancel. A flea can live up to a year."));
    assertEquals(List.of("The answer is 42.", "B. is wrong."), texts("The answer is 42. B. is wrong."));
  }

  @Test
  void splitsOnEveryLineBreak() {
    assertEquals(List.of("Title", "first line", "second line"), texts("Title\r\nfirst line\n\n  second line  \n"));
  }

  @Test
  void cjkMarksSplitWithoutSpace() {
    assertEquals(List.of("猫は動物です。", "犬も！", "本当？"), texts("猫は動物です。犬も！本当？"));
  }

  @Test
  void offsetsPointIntoTheOriginalAndExcludeSurroundingWhitespace() {
    String text = " \t A flea\u00a0lives. \u00a0 It bites.\u2003";
    List<Sentence> sentences = SPLITTER.split(text);
    assertEquals(List.of(new Sentence("A flea\u00a0lives.", 3, 16), new Sentence("It bites.", 19, 28)), sentences);
  }

  @Test
  void blankTextHasNoSentencesAndNullIsRejected() {
    assertTrue(SPLITTER.split(" \t\r\n\u00a0").isEmpty());
    assertTrue(SPLITTER.split("").isEmpty());
    // Invisible characters the tokenizer removes: zero-width space, byte-order mark, soft hyphen, a control.
    assertTrue(SPLITTER.split("\u200b \ufeff\n\u00ad\u0001").isEmpty());
    assertTrue(SentenceSplitter.isBlank("\u200b\u00a0\ufeff"));
    assertFalse(SentenceSplitter.isBlank("\u200b?"));
    assertEquals(
        List.of(new Sentence("Cats purr.", 0, 10)), SPLITTER.split("Cats purr.\n\u200b\n"),
        "a line of only a zero-width space is no sentence");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SPLITTER.split(null));
    assertEquals("text to split is null", e.getMessage());
  }

  @Test
  void sentenceRejectsTextThatDoesNotFitItsSpan() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Sentence("abc", 5, 7));
    assertEquals("sentence text has 3 chars but its span [5, 7) has 2", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Sentence("", 4, 4));
    assertEquals("sentence span [4, 4) is empty or negative", e.getMessage());
  }

  @Property(tries = 1000)
  void sentencesMapExactlyOntoTheOriginal(@ForAll("documents") String document) {
    checkContract(document);
  }

  @Property(tries = 300)
  void contractHoldsForArbitraryStrings(@ForAll String anything) {
    checkContract(anything);
  }

  @Provide
  Arbitrary<String> documents() {
    Arbitrary<String> words =
        Arbitraries.of(
            "flea", "The", "life", "cycle", "Dr.", "e.g.", "i.e.", "U.S.", "3.5", "J.", "No.", "5.",
            "猫は", "動物です。", "😀", "👍🏽", "naïve", "e\u0301", "a\u0308\u0301", "\ud835\udd38",
            "\"Quote", "end.\"", "(aside)", "What?", "Wow!", "so…", "...", "?!", "。", "\u200b", "x");
    Arbitrary<String> whitespace =
        Arbitraries.of(" ", "  ", "\t", "\r\n", "\n", "\r", "\u00a0", "\u2003", "\u2028", " \u00a0\t ");
    return Arbitraries.oneOf(words, words, whitespace).list().ofMaxSize(40).map(parts -> String.join("", parts));
  }

  private static void checkContract(String original) {
    List<Sentence> sentences = SPLITTER.split(original);
    boolean[] covered = new boolean[original.length()];
    int previousEnd = 0;
    for (Sentence s : sentences) {
      assertEquals(s.text(), original.substring(s.start(), s.end()));
      assertTrue(s.start() >= previousEnd, "sentences overlap or are out of order: " + sentences);
      assertFalse(isWhitespace(s.text().codePointAt(0)), "leading whitespace in " + s);
      assertFalse(isWhitespace(s.text().codePointBefore(s.text().length())), "trailing whitespace in " + s);
      assertFalse(Character.isLowSurrogate(original.charAt(s.start())) && s.start() > 0
          && Character.isHighSurrogate(original.charAt(s.start() - 1)), "starts inside a surrogate pair: " + s);
      assertFalse(Character.isHighSurrogate(original.charAt(s.end() - 1)) && s.end() < original.length()
          && Character.isLowSurrogate(original.charAt(s.end())), "ends inside a surrogate pair: " + s);
      assertTrue(s.text().codePoints().anyMatch(SentenceSplitterTest::isVisible), "no visible character in " + s);
      for (int i = s.start(); i < s.end(); i++) {
        covered[i] = true;
      }
      previousEnd = s.end();
    }
    for (int i = 0; i < original.length(); ) {
      int cp = original.codePointAt(i);
      if (!covered[i]) {
        assertFalse(isVisible(cp), "char " + i + " (U+" + Integer.toHexString(cp) + ") is in no sentence");
      }
      i += Character.charCount(cp);
    }
  }

  /** The contract's visible characters: not whitespace, not a format or control character. */
  private static boolean isVisible(int cp) {
    return !isWhitespace(cp) && Character.getType(cp) != Character.FORMAT && Character.getType(cp) != Character.CONTROL;
  }

  /** The contract's whitespace, written out independently of the splitter. */
  private static boolean isWhitespace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }
}
