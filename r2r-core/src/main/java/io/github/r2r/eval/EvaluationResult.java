package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Immutable outcome of {@link Evaluator#evaluate}: the value of each measure for each evaluated
 * query, and the means over those queries. Measures are keyed by {@link Measure#name()} ({@code
 * "ndcg@10"}, {@code "mrr@10"}, {@code "recall@100"}, {@code "map"}).
 */
public final class EvaluationResult {
  private final ImmutableList<String> measureNames;
  private final ImmutableMap<String, ImmutableMap<String, Double>> perQuery;
  private final ImmutableMap<String, Double> means;

  EvaluationResult(
      ImmutableList<String> measureNames,
      ImmutableMap<String, ImmutableMap<String, Double>> perQuery) {
    this.measureNames = measureNames;
    this.perQuery = perQuery;
    ImmutableMap.Builder<String, Double> meanValues = ImmutableMap.builder();
    for (String name : measureNames) {
      meanValues.put(
          name, perQuery.values().stream().mapToDouble(v -> v.get(name)).average().orElseThrow());
    }
    this.means = meanValues.build();
  }

  /** {@return the measure names, in the evaluator's order} */
  public List<String> measureNames() {
    return measureNames;
  }

  /** {@return the evaluated query ids (in the run and in the qrels), in run order} */
  public Set<String> queryIds() {
    return perQuery.keySet();
  }

  /** {@return the number of evaluated queries (trec_eval's {@code num_q}); at least 1} */
  public int queryCount() {
    return perQuery.size();
  }

  /**
   * The mean of a measure over the evaluated queries.
   *
   * @param measureName the measure's {@link Measure#name()}, e.g. {@code "ndcg@10"}
   * @return the arithmetic mean of its per-query values
   * @throws IllegalArgumentException if the measure was not evaluated
   */
  public double mean(String measureName) {
    Double mean = means.get(measureName);
    checkArgument(
        mean != null, "measure '%s' was not evaluated; have %s", measureName, measureNames);
    return mean;
  }

  /** {@return the means of all measures, measure name to mean, in the evaluator's order} */
  public Map<String, Double> means() {
    return means;
  }

  /**
   * The values of one query, measure name to value.
   *
   * @param qid the query id
   * @return its values, in the evaluator's order of measures
   * @throws IllegalArgumentException if the query was not evaluated
   */
  public Map<String, Double> perQuery(String qid) {
    ImmutableMap<String, Double> values = perQuery.get(qid);
    checkArgument(values != null, "query '%s' was not evaluated", qid);
    return values;
  }

  /** {@return all per-query values, query id to (measure name to value), in run order} */
  public Map<String, Map<String, Double>> perQuery() {
    return Collections.unmodifiableMap(perQuery);
  }

  /**
   * JSON form: the means under their measure names, {@code "num_q"}, and {@code "per_query"} (query
   * id to measure values), e.g. {@code {"ndcg@10": 0.5058, ..., "num_q": 43, "per_query": {...}}}.
   *
   * @return the JSON text, pretty-printed
   */
  public String toJson() {
    JsonObject json = new JsonObject();
    means.forEach(json::addProperty);
    json.addProperty("num_q", perQuery.size());
    JsonObject queries = new JsonObject();
    perQuery.forEach(
        (qid, values) -> {
          JsonObject query = new JsonObject();
          values.forEach(query::addProperty);
          queries.add(qid, query);
        });
    json.add("per_query", queries);
    return new GsonBuilder().setPrettyPrinting().create().toJson(json);
  }

  @Override
  public String toString() {
    return "EvaluationResult{num_q=" + perQuery.size() + ", " + means + "}";
  }
}
