package io.github.r2r.training.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The free-text teachers' reason lines ({@link FreeTextTeacherReader}: GPT-3.5, GPT-4) in the
 * Reason-to-Rank teacher's pointwise framing, "This passage directly mentions ...", so that they can be
 * compared with that teacher's {@code direct_reason} or train a decoder that writes it.
 *
 * <p>Those teachers explain a ranking, so their lines often open with where the passage was ranked
 * ("This passage is ranked first because it directly ...", GPT-4's usual form; "is the second most
 * relevant as it ..."). The pointwise teacher explains a passage on its own, so that preamble is
 * dropped and the rest keeps its own words.
 */
public final class FreeTextReasons {
  private static final Pattern SUBJECT = Pattern.compile("(?i)^(?:this|the) passage ");
  // "is ranked first because it", "is the second most relevant as it", "is third as it", "is the
  // least relevant because, while it": the rank, then the conjunction that introduces the reason.
  private static final Pattern RANK_PREAMBLE = Pattern.compile(
      "(?i)^is (?:ranked )?(?:the )?(?:first|second|third|fourth|fifth|last|next|least|less|most)"
          + "(?: most| least)? (?:relevant )?(?:because|as|since),? (?:it |this passage |the passage )");
  // "Passage [1]", "[3]", "passages 2 and 4": a line that names other passages of its window is about
  // the window, not about this passage alone.
  private static final Pattern NAMES_A_PASSAGE = Pattern.compile("(?i)\\[\\d+]|\\bpassages? \\d");

  private FreeTextReasons() {}

  /**
   * A reason line as a pointwise reason: "directly addresses ...", "This passage is ranked first
   * because it directly addresses ..." and "The passage directly addresses ..." all become "This
   * passage directly addresses ...".
   *
   * @param line the reason line
   * @return the reason, starting "This passage "
   * @throws NullPointerException if {@code line} is null
   */
  public static String asPointwiseReason(String line) {
    checkNotNull(line, "line");
    String text = SUBJECT.matcher(line.strip()).replaceFirst("");
    text = RANK_PREAMBLE.matcher(text).replaceFirst("");
    return "This passage " + text;
  }

  /**
   * Whether a reason line names passages of its window by number ("better than [2]", "Passage 3").
   *
   * @param line the reason line
   * @return whether it names a passage by number
   * @throws NullPointerException if {@code line} is null
   */
  public static boolean namesOtherPassages(String line) {
    checkNotNull(line, "line");
    return NAMES_A_PASSAGE.matcher(line).find();
  }

  /**
   * The query with each passage's reason line {@linkplain #asPointwiseReason framed as a pointwise
   * reason}; a line that {@linkplain #namesOtherPassages names other passages} is dropped, since
   * without its window it refers to nothing. Everything else (ids, order, labels, ranks) is kept.
   *
   * @param query the query
   * @return a new query
   * @throws NullPointerException if {@code query} is null
   */
  public static TrainingQuery asPointwiseReasons(TrainingQuery query) {
    checkNotNull(query, "query");
    List<TrainingPassage> passages = new ArrayList<>(query.passages().size());
    for (TrainingPassage passage : query.passages()) {
      passages.add(passage.withPointwiseReason(
          passage.pointwiseReason().filter(r -> !namesOtherPassages(r)).map(FreeTextReasons::asPointwiseReason)));
    }
    return query.withPassages(passages);
  }
}
