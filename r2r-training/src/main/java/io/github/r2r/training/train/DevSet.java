package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Qrels;
import java.util.List;

/**
 * Queries with candidates and judgements, used to pick the best checkpoint by nDCG@10. Must be
 * disjoint from the final evaluation set (the trainer cannot check that; the caller is responsible).
 */
public record DevSet(String name, List<BenchmarkQuery> queries, Qrels qrels) {
  public DevSet {
    checkArgument(name != null && !name.isBlank(), "dev set name is blank");
    queries = ImmutableList.copyOf(queries);
    checkArgument(!queries.isEmpty(), "dev set %s has no queries", name);
  }
}
