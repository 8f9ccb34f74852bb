package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Locale;

/**
 * The word tokens text-overlap measures compare: maximal runs of letters, digits and combining marks,
 * lower-cased ({@link Locale#ROOT}). Everything else (spaces, punctuation, symbols, emoji) separates
 * words, so {@code "flea's"} is {@code [flea, s]} and {@code "20-25"} is {@code [20, 25]}.
 */
public final class WordTokens {
  private WordTokens() {}

  /**
   * Splits {@code text} into word tokens.
   *
   * @param text the text
   * @return its words, lower-cased, in text order (immutable)
   * @throws IllegalArgumentException if {@code text} is null
   */
  public static List<String> of(String text) {
    checkArgument(text != null, "text to tokenize is null");
    ImmutableList.Builder<String> out = ImmutableList.builder();
    int start = -1;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (isWordChar(cp)) {
        if (start < 0) {
          start = i;
        }
      } else if (start >= 0) {
        out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
        start = -1;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      out.add(text.substring(start).toLowerCase(Locale.ROOT));
    }
    return out.build();
  }

  private static boolean isWordChar(int cp) {
    int type = Character.getType(cp);
    return Character.isLetterOrDigit(cp)
        || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }
}
