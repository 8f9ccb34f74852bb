package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableSet;
import java.util.List;
import java.util.Locale;

/**
 * Whether an evidence sentence chosen from a passage is the one a reference (a teacher's {@code
 * direct_answer_sentence}) points to, even when the reference is not a verbatim sentence of the
 * passage under our sentence splitting.
 *
 * <p>The rule: the selected sentence matches when its {@link #normalise normalised} text equals the
 * reference's; otherwise when its {@link RougeL} F1 against the reference is at least {@value
 * #MIN_ROUGE_L} and no sentence of the passage has a higher F1 (ties all match). The second clause
 * covers a reference that quotes part of one of our sentences, spans two of them, or differs in
 * spacing, punctuation or a word; the threshold rejects a reference that no sentence resembles.
 */
public final class EvidenceMatch {
  /** The least ROUGE-L F1 at which a sentence that is not an exact match can still match. */
  public static final double MIN_ROUGE_L = 0.6;

  /**
   * Normalised references with which the teacher says that the passage has no answer sentence (about
   * one passage in ten of {@code dev-dl19-top5.jsonl}).
   */
  private static final ImmutableSet<String> NO_ANSWER =
      ImmutableSet.of("", "not applicable", "n/a", "na", "none", "no answer");

  private EvidenceMatch() {}

  /**
   * Lower-cases ({@link Locale#ROOT}), turns every run of Unicode white space (Unicode's {@code
   * White_Space}: ASCII white space, U+0085 and every space, line and paragraph separator such as
   * U+2003 em space or U+3000 ideographic space) into one space and strips the characters that are
   * neither letters nor digits from both ends.
   *
   * @param text the text
   * @return the normalised text; empty when it has no letter or digit
   * @throws IllegalArgumentException if {@code text} is null
   */
  public static String normalise(String text) {
    checkArgument(text != null, "text to normalise is null");
    // Java's \s is ASCII only, and text from the web also spaces words with U+2009, U+3000 and the like.
    String collapsed = text.toLowerCase(Locale.ROOT).replaceAll("\\p{IsWhite_Space}+", " ");
    int start = 0;
    int end = collapsed.length();
    while (start < end && !Character.isLetterOrDigit(collapsed.codePointAt(start))) {
      start += Character.charCount(collapsed.codePointAt(start));
    }
    while (end > start && !Character.isLetterOrDigit(collapsed.codePointBefore(end))) {
      end -= Character.charCount(collapsed.codePointBefore(end));
    }
    return collapsed.substring(start, end);
  }

  /**
   * Whether {@code selected} is the sentence {@code reference} points to, by the rule of the class
   * comment.
   *
   * @param selected the chosen sentence
   * @param passageSentences all sentences of the passage, the chosen one among them
   * @param reference the reference sentence; must have a letter or digit
   * @return true when it matches
   * @throws IllegalArgumentException if {@code selected} is null, {@code passageSentences} is null or
   *     empty, or {@code reference} is null or has no letter or digit
   */
  public static boolean matches(String selected, List<String> passageSentences, String reference) {
    checkArgument(selected != null, "selected sentence is null");
    checkArgument(passageSentences != null && !passageSentences.isEmpty(), "passage has no sentences");
    checkArgument(reference != null && !normalise(reference).isEmpty(),
        "reference sentence '%s' has no letter or digit", reference);
    if (normalise(selected).equals(normalise(reference))) {
      return true;
    }
    double f1 = RougeL.of(selected, reference).f1();
    return f1 >= MIN_ROUGE_L && f1 >= bestF1(passageSentences, reference);
  }

  /**
   * Whether the reference names no sentence: blank, or a placeholder such as {@code "Not
   * applicable"}, {@code "N/A"} or {@code "None"}. Such references have nothing to match and are left
   * out of evidence accuracy.
   *
   * @param reference the reference sentence
   * @return true for a blank reference or a placeholder
   * @throws IllegalArgumentException if {@code reference} is null
   */
  public static boolean saysNoAnswer(String reference) {
    checkArgument(reference != null, "reference sentence is null");
    return NO_ANSWER.contains(normalise(reference));
  }

  /**
   * Whether any sentence of the passage can match the reference at all.
   *
   * @param passageSentences all sentences of the passage
   * @param reference the reference sentence; must have a letter or digit
   * @return true when some sentence {@link #matches}; false for a passage without sentences
   * @throws IllegalArgumentException if the passage has a sentence and {@code reference} is null or has
   *     no letter or digit
   */
  public static boolean locatable(List<String> passageSentences, String reference) {
    return passageSentences.stream().anyMatch(s -> matches(s, passageSentences, reference));
  }

  private static double bestF1(List<String> sentences, String reference) {
    double best = 0;
    for (String s : sentences) {
      best = Math.max(best, normalise(s).equals(normalise(reference)) ? 1.0 : RougeL.of(s, reference).f1());
    }
    return best;
  }
}
