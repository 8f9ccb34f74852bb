package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.util.List;

/**
 * English function words, which carry no content of their own, for measures that compare content
 * words. The list is NLTK's English stop-word list (179 words) written as {@link WordTokens} see
 * contractions: {@code don't} is the two tokens {@code don} and {@code t}, both listed.
 */
public final class StopWords {
  /**
   * NLTK's English stop words without the 26 that hold an apostrophe (their fragments are listed
   * separately): 153 tokens.
   */
  public static final ImmutableSet<String> ENGLISH =
      ImmutableSet.of(
          "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
          "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
          "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
          "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
          "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an",
          "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by",
          "for", "with", "about", "against", "between", "into", "through", "during", "before",
          "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
          "under", "again", "further", "then", "once", "here", "there", "when", "where", "why",
          "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no",
          "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will",
          "just", "don", "should", "now", "d", "ll", "m", "o", "re", "ve", "y", "ain", "aren",
          "couldn", "didn", "doesn", "hadn", "hasn", "haven", "isn", "ma", "mightn", "mustn",
          "needn", "shan", "shouldn", "wasn", "weren", "won", "wouldn");

  private StopWords() {}

  /**
   * The {@link WordTokens} of {@code text} that are not English stop words, in text order.
   *
   * @param text the text
   * @return its content words, lower-cased, repeats kept (immutable)
   * @throws IllegalArgumentException if {@code text} is null
   */
  public static List<String> contentWords(String text) {
    checkArgument(text != null, "text is null");
    return WordTokens.of(text).stream().filter(w -> !ENGLISH.contains(w)).collect(ImmutableList.toImmutableList());
  }
}
