package io.github.r2r.training.train;

import io.github.r2r.generate.ReasonModel;
import io.github.r2r.training.data.PassageReferences;
import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns teacher data into {@link ReasonExample}s for a reason model:
 *
 * <ul>
 *   <li>pointwise: every passage with a {@code direct_reason}, input {@code query [SEP] passage};
 *   <li>comparative: every adjacent pair (A directly above B) of the teacher's order where A has a
 *       {@code listwise_reason}, input {@code query [SEP] A [SEP] B}, target A's reason with numbered
 *       passage references made generic ({@link PassageReferences}).
 * </ul>
 *
 * For a decoder with rank hints ({@code rank_hints} in its config) the inputs carry the teacher's rank of
 * the (upper) passage, so that the decoder learns to explain the rank it is given; a query without a
 * teacher order then gives no examples.
 *
 * <p>Targets longer than the decoder allows ({@code max_reason_tokens - 1}) are cut and still end with the
 * end token; with 64 positions that is rare (teacher reasons average about 20 words).
 */
public final class ReasonExamples {
  private ReasonExamples() {}

  /**
   * The reason examples of {@code queries} for {@code model}'s decoder.
   *
   * @param queries the queries, with the teacher's reasons and (for comparative examples) order
   * @param model the reason model whose tokenizer, input format and limits apply
   * @return the pointwise and comparative examples, query by query
   */
  public static List<ReasonExample> of(List<TrainingQuery> queries, ReasonModel model) {
    int maxTarget = model.config().maxReasonTokens() - 1;
    List<ReasonExample> out = new ArrayList<>();
    boolean ranked = model.config().hasRankHints();
    for (TrainingQuery query : queries) {
      Optional<List<TrainingPassage>> ordered = query.passagesInTeacherOrder();
      if (ranked && ordered.isEmpty()) {
        continue;
      }
      // Without hints the rank is not part of the input, so any order serves.
      List<TrainingPassage> rankOrder = ordered.orElse(query.passages());
      for (int r = 0; r < rankOrder.size(); r++) {
        TrainingPassage passage = rankOrder.get(r);
        int rank = r + 1;
        passage.pointwiseReason().ifPresent(reason -> out.add(new ReasonExample(
            query.qid(), model.pointwiseInput(query.query(), passage.text(), rank), target(model, reason, maxTarget))));
      }
      if (ordered.isEmpty()) {
        continue;
      }
      List<TrainingPassage> order = ordered.get();
      for (int i = 0; i + 1 < order.size(); i++) {
        TrainingPassage above = order.get(i);
        TrainingPassage below = order.get(i + 1);
        int aboveRank = i + 1;
        above.comparativeReason().ifPresent(reason -> out.add(new ReasonExample(
            query.qid(), model.comparativeInput(query.query(), above.text(), below.text(), aboveRank),
            target(model, PassageReferences.generic(reason), maxTarget))));
      }
    }
    return out;
  }

  private static long[] target(ReasonModel model, String reason, int maxTokens) {
    var tokens = model.encoder().tokenizer().tokenize(reason);
    return tokens.ids(0, Math.min(tokens.length(), maxTokens));
  }
}
