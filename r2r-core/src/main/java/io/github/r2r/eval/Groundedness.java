package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * How much of an explanation is taken from its sources: the share of the explanation's content
 * words ({@link StopWords#contentWords}) that also occur among the sources' content words (for a
 * pointwise reason: the query and the passage; for a comparative one: the query and both passages).
 * Words are compared as lower-cased {@link WordTokens} with one folding: a final {@code s} is
 * ignored on words of more than three letters, so {@code fleas} matches {@code flea}. Repeated words
 * count each time they occur.
 */
public final class Groundedness {
  private Groundedness() {}

  /**
   * The share of {@code text}'s content words found among the sources' content words.
   *
   * @param text the explanation
   * @param sources the texts it may draw on, at least one
   * @return the grounded share in [0, 1], or empty when {@code text} has no content word (nothing to
   *     ground, so it should not enter an average)
   * @throws IllegalArgumentException if {@code text} is null, {@code sources} is null or empty, or a
   *     source is null (checked only when {@code text} has a content word)
   */
  public static OptionalDouble of(String text, List<String> sources) {
    checkArgument(text != null, "text is null");
    checkArgument(sources != null && !sources.isEmpty(), "no sources to ground the text in");
    List<String> words = StopWords.contentWords(text);
    if (words.isEmpty()) {
      return OptionalDouble.empty();
    }
    Set<String> available = new HashSet<>();
    for (String source : sources) {
      checkArgument(source != null, "a source is null");
      for (String word : StopWords.contentWords(source)) {
        available.add(wordKey(word));
      }
    }
    long grounded = words.stream().filter(w -> available.contains(wordKey(w))).count();
    return OptionalDouble.of((double) grounded / words.size());
  }

  /**
   * The form in which this measure compares a lower-cased word: without a final {@code s} when it has
   * more than three letters ({@code fleas} and {@code flea} are one word, {@code bus} stays).
   *
   * @param word a lower-cased word
   * @return the word as compared
   */
  public static String wordKey(String word) {
    return word.length() > 3 && word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
  }
}
