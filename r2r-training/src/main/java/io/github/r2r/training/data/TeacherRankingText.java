package io.github.r2r.training.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Parses a free-text teacher answer in the RankGPT style:
 *
 * <pre>
 * [1] &gt; [4] &gt; [2] &gt; [5] &gt; [3]
 *
 * Reasoning:
 * - Passage [1] directly addresses ...
 * - [4]: This passage ...
 * </pre>
 *
 * <p>Passage numbers are 1-based positions in the window the teacher saw. The answers vary (prose
 * before the ranking, "1. [3]: ..." lists, paragraphs starting with "[2] is ranked ..."), so both
 * parts are found by pattern rather than by position.
 */
public final class TeacherRankingText {
  /** Two or more bracketed passage numbers joined by "&gt;". */
  private static final Pattern CHAIN = Pattern.compile("\\[(\\d{1,6})](?:\\s*>\\s*\\[\\d{1,6}])+");

  private static final Pattern NUMBER = Pattern.compile("\\d{1,6}");

  /**
   * A line that starts (after an optional "-", "*", bullet or "1." marker and an optional
   * "Passage") with one passage number, followed by its reason.
   */
  private static final Pattern REASON_LINE =
      Pattern.compile(
          "^\\s*(?:[-*\\u2022]\\s*|\\d+[.)]\\s*)?(?:passage\\s*)?"
              + "\\[(\\d{1,6})]\\s*[:\\-\\u2013\\u2014]?\\s*(.*)$",
          Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

  /** Reason text that continues a ranking or a group of passages, not one passage's reason. */
  private static final Pattern NOT_A_SINGLE_PASSAGE =
      Pattern.compile("^(?:[>=,&]|and\\b|or\\b|\\[)", Pattern.CASE_INSENSITIVE);

  private TeacherRankingText() {}

  /**
   * Every chain {@code [a] > [b] > ...} of the text, in order, as passage numbers.
   *
   * @param text the teacher's answer
   * @return the chains, each as the 1-based numbers in it
   * @throws NullPointerException if {@code text} is null
   */
  public static List<List<Integer>> rankingChains(String text) {
    checkNotNull(text, "text");
    ImmutableList.Builder<List<Integer>> chains = ImmutableList.builder();
    Matcher chain = CHAIN.matcher(text);
    while (chain.find()) {
      ImmutableList.Builder<Integer> numbers = ImmutableList.builder();
      Matcher number = NUMBER.matcher(chain.group());
      while (number.find()) {
        numbers.add(Integer.parseInt(number.group()));
      }
      chains.add(numbers.build());
    }
    return chains.build();
  }

  /**
   * The teacher's ranking: the first chain of the text that is a permutation of {@code 1..size}
   * (best first); empty when there is none. Shorter chains ("[4] > [5]" in a list of reasons) are
   * skipped.
   *
   * @param text the teacher's answer
   * @param size the number of passages in the window, at least 1
   * @return the ranking as 1-based passage numbers, best first, or empty
   * @throws IllegalArgumentException if {@code size} is less than 1
   * @throws NullPointerException if {@code text} is null
   */
  public static Optional<List<Integer>> ranking(String text, int size) {
    checkArgument(size >= 1, "window size must be at least 1, got %s", size);
    List<Integer> all = IntStream.rangeClosed(1, size).boxed().toList();
    return rankingChains(text).stream()
        .filter(chain -> chain.stream().sorted().toList().equals(all))
        .findFirst();
  }

  /**
   * The reason given for each passage number in {@code 1..size}: the rest of the first line that
   * starts with that passage alone ("- Passage [2] mentions ...", "- [2]: ...", "1. [2]: ...", "[2]
   * is ranked ..."). Lines about several passages ("[1] and [4] are ...") or continuing a ranking
   * are not reasons. A reason that starts in lower case continues the sentence "Passage [i] ...",
   * so it gets the subject "This passage" (the Reason-to-Rank style: "This passage directly
   * addresses ...").
   *
   * @param text the teacher's answer
   * @param size the number of passages in the window
   * @return each passage number's reason, for the passages that have one
   * @throws NullPointerException if {@code text} is null
   */
  public static Map<Integer, String> passageReasons(String text, int size) {
    checkNotNull(text, "text");
    Map<Integer, String> reasons = new LinkedHashMap<>();
    Matcher line = REASON_LINE.matcher(text);
    while (line.find()) {
      int passage = Integer.parseInt(line.group(1));
      String reason = line.group(2).strip();
      if (passage < 1
          || passage > size
          || reason.isEmpty()
          || NOT_A_SINGLE_PASSAGE.matcher(reason).find()) {
        continue;
      }
      if (Character.isLowerCase(reason.charAt(0))) {
        reason = "This passage " + reason;
      }
      reasons.putIfAbsent(passage, reason);
    }
    return ImmutableMap.copyOf(reasons);
  }
}
