package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Qrels;
import java.util.List;

/**
 * Queries with candidates and judgements, used to pick the best checkpoint by nDCG@10. Must be
 * disjoint from the final evaluation set (the trainer cannot check that; the caller is responsible).
 *
 * <p>Every query must have judgements in {@code qrels}, checked here: the evaluation skips unjudged
 * queries, so mismatched qrels would otherwise fail only at the first evaluation, {@code evalEvery}
 * steps into the run (no query judged), or never (some judged: a mean over fewer queries).
 *
 * @param name the dev set's name, for logs and the model card
 * @param queries the queries with their candidates
 * @param qrels the judgements
 */
public record DevSet(String name, List<BenchmarkQuery> queries, Qrels qrels) {
  /**
   * Checks the components and copies the queries.
   *
   * @param name the dev set's name, not blank
   * @param queries the queries with their candidates, at least one
   * @param qrels judgements for every query
   * @throws IllegalArgumentException if {@code name} is blank, there is no query, or a query has no
   *     judgements
   * @throws NullPointerException if {@code queries} or {@code qrels} is null
   */
  public DevSet {
    checkArgument(name != null && !name.isBlank(), "dev set name is blank");
    queries = ImmutableList.copyOf(queries);
    checkArgument(!queries.isEmpty(), "dev set %s has no queries", name);
    checkNotNull(qrels, "qrels of dev set %s", name);
    for (BenchmarkQuery query : queries) {
      checkArgument(
          qrels.hasQuery(query.qid()),
          "dev set %s: query %s has no judgements in the qrels (%s judged queries)",
          name,
          query.qid(),
          qrels.queryIds().size());
    }
  }
}
