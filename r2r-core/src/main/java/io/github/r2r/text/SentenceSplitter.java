package io.github.r2r.text;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.util.List;
import java.util.Locale;

/**
 * Splits a text into sentences with a few rules tuned for web passages such as MS MARCO's.
 *
 * <p>Contract, for any string: the sentences are in text order, do not overlap, and each one's
 * {@code text} is exactly {@code original.substring(start, end)}, begins and ends with a
 * non-whitespace character, and never cuts a surrogate pair. Together they cover every
 * visible character of the text; only whitespace, and runs of invisible characters with no visible
 * one among them, lie between them. Whitespace is any code point for which {@link
 * Character#isWhitespace(int)} or {@link Character#isSpaceChar(int)} holds (so no-break spaces
 * count); invisible characters are whitespace plus format and control characters (zero-width space,
 * byte-order mark, soft hyphen, ...), which BERT tokenizers remove: a sentence made of nothing else
 * would be an empty input to the model and an invisible highlight. A blank text has no sentences.
 *
 * <p>Boundaries:
 *
 * <ul>
 *   <li>every line break ({@code \n}, {@code \r}, vertical tab, form feed, U+2028, U+2029);
 *   <li>after a run of {@code . ! ? …} (plus closing quotes and brackets) that is followed by
 *       whitespace and then an upper-case or uncased letter, a digit, or an opening quote or bracket;
 *   <li>after the CJK full stop, exclamation and question marks ({@code 。！？}), which need no space.
 * </ul>
 *
 * <p>A lone period directly followed by an upper-case and a lower-case letter also ends a sentence
 * when a lower-case letter precedes it ({@code "concrete.So 10"}): MS MARCO passages often lost the
 * space between sentences.
 *
 * <p>A lone period does not end a sentence after a known abbreviation ({@code Dr.}, {@code e.g.},
 * {@code vs.}, ...), an initialism ({@code U.S.}, {@code i.e.}), a single upper-case initial
 * ({@code J. K. Rowling}), or a list number or letter that starts the sentence ({@code 5. Cancel}).
 * Decimals ({@code 3.5}) never split because no space or letter follows their period.
 *
 * <p>Immutable and thread-safe.
 */
public final class SentenceSplitter {
  private static final ImmutableSet<String> ENGLISH_ABBREVIATIONS =
      ImmutableSet.of(
          "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "vs", "approx", "cf", "viz",
          "ca", "al", "fig", "figs", "vol", "ch", "sec", "gen", "gov", "sen", "col", "lt", "sgt",
          "capt", "rev", "hon", "dept", "univ", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
          "sep", "sept", "oct", "nov", "dec");

  private final ImmutableSet<String> abbreviations;

  private SentenceSplitter(ImmutableSet<String> abbreviations) {
    this.abbreviations = abbreviations;
  }

  /** {@return the splitter for English text (it knows English abbreviations such as "Dr." and "Jan.")} */
  public static SentenceSplitter english() {
    return new SentenceSplitter(ENGLISH_ABBREVIATIONS);
  }

  /**
   * The sentences of {@code text} (see the class comment for the contract).
   *
   * @param text the text to split
   * @return its sentences in text order (immutable); empty for a blank text
   * @throws IllegalArgumentException if {@code text} is null
   */
  public List<Sentence> split(String text) {
    checkArgument(text != null, "text to split is null");
    ImmutableList.Builder<Sentence> out = ImmutableList.builder();
    int start = -1;
    int lastEnd = -1;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (isLineBreak(cp)) {
        addSentence(out, text, start, lastEnd);
        start = -1;
      } else if (!isWhitespace(cp)) {
        if (start < 0) {
          start = i;
        }
        lastEnd = next;
        if (isTerminal(cp)) {
          next = endOfTerminalRun(text, next);
          lastEnd = next;
          if (endsSentence(text, start, i, next)) {
            addSentence(out, text, start, lastEnd);
            start = -1;
          }
        }
      }
      i = next;
    }
    addSentence(out, text, start, lastEnd);
    return out.build();
  }

  private static void addSentence(ImmutableList.Builder<Sentence> out, String text, int start, int end) {
    if (start >= 0 && text.substring(start, end).codePoints().anyMatch(SentenceSplitter::isVisible)) {
      out.add(new Sentence(text.substring(start, end), start, end));
    }
  }

  /** The offset after the terminal marks and closing quotes or brackets that start at {@code from}. */
  private static int endOfTerminalRun(String text, int from) {
    int i = from;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (!isTerminal(cp) && !isCloser(cp)) {
        break;
      }
      i += Character.charCount(cp);
    }
    return i;
  }

  /**
   * Whether the sentence that began at {@code sentenceStart} ends with the terminal run {@code
   * [runStart, runEnd)}.
   */
  private boolean endsSentence(String text, int sentenceStart, int runStart, int runEnd) {
    String run = text.substring(runStart, runEnd);
    if (run.chars().anyMatch(SentenceSplitter::isCjkTerminal)) {
      return true;
    }
    boolean lonePeriod =
        text.charAt(runStart) == '.' && (runEnd == runStart + 1 || isCloser(text.codePointAt(runStart + 1)));
    int following = runEnd;
    while (following < text.length() && isWhitespace(text.codePointAt(following))) {
      following += Character.charCount(text.codePointAt(following));
    }
    if (following == text.length()) {
      return false;
    }
    if (following == runEnd) {
      return runEnd == runStart + 1
          && isGluedSentenceStart(text, runStart)
          && !isAbbreviation(text, sentenceStart, runStart);
    }
    if (!startsSentence(text.codePointAt(following))) {
      return false;
    }
    return !lonePeriod || !isAbbreviation(text, sentenceStart, runStart);
  }

  /**
   * Whether the period at {@code period} ends a sentence that was glued to the next without a space,
   * as web passages often are ({@code "of concrete.So 10 yards"}): a lower-case letter before it, an
   * upper-case then a lower-case letter after it. Decimals, {@code U.S.A}, {@code Node.JS} and
   * {@code x.y} do not qualify.
   */
  private static boolean isGluedSentenceStart(String text, int period) {
    if (text.charAt(period) != '.' || period == 0 || period + 2 >= text.length()) {
      return false;
    }
    return Character.isLowerCase(text.codePointBefore(period))
        && Character.isUpperCase(text.charAt(period + 1))
        && Character.isLowerCase(text.charAt(period + 2));
  }

  /** Whether the word before the period at {@code period} is an abbreviation, initial or list marker. */
  private boolean isAbbreviation(String text, int sentenceStart, int period) {
    int wordStart = period;
    while (wordStart > sentenceStart && !isWhitespace(text.codePointBefore(wordStart))) {
      wordStart -= Character.charCount(text.codePointBefore(wordStart));
    }
    boolean firstWord = wordStart == sentenceStart;
    while (wordStart < period && isOpener(text.codePointAt(wordStart))) {
      wordStart += Character.charCount(text.codePointAt(wordStart));
    }
    String word = text.substring(wordStart, period);
    if (word.isEmpty()) {
      return false;
    }
    if (abbreviations.contains(word.toLowerCase(Locale.ROOT)) || isInitialism(word)) {
      return true;
    }
    boolean singleLetter = word.codePointCount(0, word.length()) == 1 && Character.isLetter(word.codePointAt(0));
    if (singleLetter && Character.isUpperCase(word.codePointAt(0))) {
      return true;
    }
    boolean shortNumber = word.length() <= 3 && word.chars().allMatch(c -> c >= '0' && c <= '9');
    return firstWord && (singleLetter || shortNumber);
  }

  /** Letters separated by periods, as in {@code U.S} or {@code e.g} (the final period excluded). */
  private static boolean isInitialism(String word) {
    if (word.length() < 3) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      boolean ok = i % 2 == 0 ? Character.isLetter(c) : c == '.';
      if (!ok) {
        return false;
      }
    }
    return word.length() % 2 == 1;
  }

  private static boolean startsSentence(int cp) {
    return (Character.isLetter(cp) && !Character.isLowerCase(cp)) || Character.isDigit(cp) || isOpener(cp);
  }

  private static boolean isTerminal(int cp) {
    return cp == '.' || cp == '!' || cp == '?' || cp == '…' || isCjkTerminal(cp);
  }

  private static boolean isCjkTerminal(int cp) {
    return cp == '。' || cp == '！' || cp == '？';
  }

  private static boolean isCloser(int cp) {
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '”' || cp == '’' || cp == '»'
        || cp == '」' || cp == '』' || cp == '）';
  }

  private static boolean isOpener(int cp) {
    return cp == '"' || cp == '\'' || cp == '(' || cp == '[' || cp == '“' || cp == '‘' || cp == '«'
        || cp == '「' || cp == '『' || cp == '（';
  }

  private static boolean isLineBreak(int cp) {
    return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x2028 || cp == 0x2029;
  }

  private static boolean isWhitespace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  /** Not whitespace, and not a format or control character (see the class comment). */
  private static boolean isVisible(int cp) {
    int type = Character.getType(cp);
    return !isWhitespace(cp) && type != Character.FORMAT && type != Character.CONTROL;
  }

  /**
   * Whether {@code text} has no visible character as this splitter counts them (see the class
   * comment): besides what {@link String#isBlank()} counts, no-break spaces, zero-width spaces, a
   * byte-order mark and other format or control characters. Such a text has no sentence, and a model
   * would see it as empty.
   *
   * @param text the text; non-null
   * @return true when it has no visible character
   */
  public static boolean isBlank(String text) {
    return text.codePoints().noneMatch(SentenceSplitter::isVisible);
  }
}
