package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a run against judgments with trec_eval semantics.
 *
 * <p>Which queries count: those that appear in the run <em>and</em> in the qrels, as trec_eval does
 * without {@code -c}. A run query without judgments is ignored (nothing to measure against); a
 * judged query missing from the run is ignored too (pass the full candidate lists when a missing
 * query should count as 0). A judged query without any relevant document is kept and scores 0 on
 * every measure, as in trec_eval ("queries with no relevance information are ignored", not queries
 * without relevant documents). Means are arithmetic means over the counted queries.
 */
public final class Evaluator {
  /** TREC Deep Learning passage convention: grade 2 ("highly relevant") and up is relevant. */
  public static final int TREC_DL_PASSAGE_RELEVANCE_THRESHOLD = 2;

  private final int relevanceThreshold;
  private final ImmutableList<Measure> measures;

  private Evaluator(int relevanceThreshold, ImmutableList<Measure> measures) {
    this.relevanceThreshold = relevanceThreshold;
    this.measures = measures;
  }

  /**
   * The TREC Deep Learning passage setup: {@code ndcg@10} on raw grades, and {@code mrr@10}, {@code
   * recall@100} and {@code map} with grade &ge; 2 relevant (trec_eval {@code -l 2}). {@code mrr@10} is
   * MS MARCO's reciprocal rank within the top 10 (trec_eval {@code -l 2 -M 10 -m recip_rank}; its
   * {@code recip_rank} alone has no cutoff).
   *
   * @return the evaluator
   */
  public static Evaluator trecDeepLearningPassage() {
    return of(
        TREC_DL_PASSAGE_RELEVANCE_THRESHOLD,
        List.of(Measure.ndcgAt(10), Measure.mrrAt(10), Measure.recallAt(100), Measure.map()));
  }

  /**
   * An evaluator for the given measures.
   *
   * @param relevanceThreshold the lowest grade that counts as relevant for the binary measures
   *     (trec_eval {@code -l}); at least 1
   * @param measures the measures, in the order results list them; copied
   * @return the evaluator
   * @throws NullPointerException if {@code measures} is or holds null
   * @throws IllegalArgumentException if the threshold is below 1, no measure is given, or a measure
   *     is given twice
   */
  public static Evaluator of(int relevanceThreshold, List<Measure> measures) {
    Metrics.checkThreshold(relevanceThreshold);
    checkNotNull(measures, "measures");
    checkArgument(!measures.isEmpty(), "at least one measure is needed");
    checkArgument(
        measures.stream().distinct().count() == measures.size(),
        "measures must be distinct, got %s",
        measures);
    return new Evaluator(relevanceThreshold, ImmutableList.copyOf(measures));
  }

  /** {@return the lowest grade that counts as relevant for the binary measures} */
  public int relevanceThreshold() {
    return relevanceThreshold;
  }

  /** {@return the measures, in the order results list them} */
  public List<Measure> measures() {
    return measures;
  }

  /**
   * Evaluates every query of the run that has judgments.
   *
   * @param qrels the judgments
   * @param run the run to evaluate
   * @return per-query values and means over the queries in both
   * @throws NullPointerException if {@code qrels} or {@code run} is null
   * @throws IllegalArgumentException if the run and the qrels share no query (a mean over no query
   *     is meaningless and almost always means mismatched files)
   */
  public EvaluationResult evaluate(Qrels qrels, TrecRun run) {
    checkNotNull(qrels, "qrels");
    checkNotNull(run, "run");
    Map<String, ImmutableMap<String, Double>> perQuery = new LinkedHashMap<>();
    for (String qid : run.queryIds()) {
      if (!qrels.hasQuery(qid)) {
        continue;
      }
      List<String> ranking = run.rankedDocids(qid);
      Map<String, Integer> judgments = qrels.judgments(qid);
      ImmutableMap.Builder<String, Double> values = ImmutableMap.builder();
      for (Measure measure : measures) {
        values.put(measure.name(), measure.compute(ranking, judgments, relevanceThreshold));
      }
      perQuery.put(qid, values.build());
    }
    checkArgument(
        !perQuery.isEmpty(),
        "the run (%s queries) and the qrels (%s queries) share no query id",
        run.queryIds().size(),
        qrels.queryIds().size());
    return new EvaluationResult(
        measures.stream().map(Measure::name).collect(ImmutableList.toImmutableList()),
        ImmutableMap.copyOf(perQuery));
  }
}
