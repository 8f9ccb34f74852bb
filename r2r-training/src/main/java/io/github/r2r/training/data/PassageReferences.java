package io.github.r2r.training.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a listwise teacher reason for use as the comparative reason of one passage pair. The
 * Reason-to-Rank teacher saw five numbered passages and often names them ("more relevant than passages
 * 1, 3, and 5", "less comprehensive than passage 1"); for a pair those numbers mean nothing, and a
 * student trained on them learns to invent numbers. Each reference becomes a generic one: "passages
 * 1, 3, and 5" → "the other passages", "passage 3" → "another passage" (with the article adjusted when
 * it followed "than"/"to"/"as": "than passage 1" → "than another passage"). The rest of the reason is
 * kept: it says what makes the passage better or worse, which is what a comparative reason should say.
 */
public final class PassageReferences {
  private static final String NUMBER = "\\[?\\d+\\]?";
  private static final Pattern PLURAL =
      Pattern.compile("\\b(?:the\\s+)?passages\\s+" + NUMBER + "(?:\\s*,\\s*" + NUMBER + ")*(?:\\s*,?\\s*(?:and|or)\\s+" + NUMBER + ")?",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern SINGULAR =
      Pattern.compile("\\b(?:the\\s+)?passage\\s+" + NUMBER + "(?!\\s*(?:,|and|or)\\s*" + NUMBER + ")",
          Pattern.CASE_INSENSITIVE);

  private PassageReferences() {}

  /**
   * {@code reason} with every numbered passage reference made generic (see the class comment).
   *
   * @param reason the reason
   * @return the reason with "the other passages" or "another passage" for each numbered reference
   */
  public static String generic(String reason) {
    String plural = replace(PLURAL, reason, "the other passages");
    return replace(SINGULAR, plural, "another passage");
  }

  /**
   * Whether {@code reason} names a passage by number.
   *
   * @param reason the reason
   * @return true when it does
   */
  public static boolean namesPassages(String reason) {
    return PLURAL.matcher(reason).find() || SINGULAR.matcher(reason).find();
  }

  private static String replace(Pattern pattern, String text, String replacement) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      boolean capital = Character.isUpperCase(m.group().charAt(0));
      String r = capital ? Character.toUpperCase(replacement.charAt(0)) + replacement.substring(1) : replacement;
      m.appendReplacement(out, Matcher.quoteReplacement(r));
    }
    m.appendTail(out);
    return out.toString();
  }
}
