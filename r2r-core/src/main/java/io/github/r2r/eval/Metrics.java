package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-query ranking measures with trec_eval semantics. Each takes the retrieved document ids in
 * rank order (best first; use {@link TrecRun#rankedDocids} for a run) and the query's judgments
 * (document id to grade). Documents that are not judged count as non-relevant. Every value lies in
 * [0, 1].
 *
 * <p>Graded and binary relevance: nDCG uses the raw grades as gains; the other measures call a
 * document relevant when its grade is at least {@code relevanceThreshold} (trec_eval's {@code -l};
 * TREC Deep Learning passage runs use 2). The threshold must be at least 1.
 */
public final class Metrics {
  private Metrics() {}

  /**
   * nDCG at cutoff k, as trec_eval {@code ndcg_cut.k}: the gain of a document is its grade (only
   * grades above 0 count), discounted by {@code log2(rank + 1)} for the 1-based rank; the ideal DCG
   * ranks all judged documents of the query with grade above 0, highest grade first, whether
   * retrieved or not. 0 when the query has no document with grade above 0.
   *
   * @param k the cutoff, at least 1
   * @param ranking retrieved document ids, best first, without repeats
   * @param judgments the query's judgments, document id to grade
   * @return nDCG@k in [0, 1]
   * @throws IllegalArgumentException if {@code k} is less than 1, or {@code ranking} repeats a document
   * @throws NullPointerException if {@code ranking} or {@code judgments} is null
   */
  public static double ndcgAt(int k, List<String> ranking, Map<String, Integer> judgments) {
    checkInputs(k, ranking, judgments);
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranking.size()); i++) {
      int grade = judgments.getOrDefault(ranking.get(i), 0);
      if (grade > 0) {
        dcg += grade / log2(i + 2);
      }
    }
    int[] idealGrades =
        judgments.values().stream()
            .filter(g -> g > 0)
            .sorted((a, b) -> Integer.compare(b, a))
            .limit(k)
            .mapToInt(Integer::intValue)
            .toArray();
    double idealDcg = 0;
    for (int i = 0; i < idealGrades.length; i++) {
      idealDcg += idealGrades[i] / log2(i + 2);
    }
    return idealDcg > 0 ? dcg / idealDcg : 0;
  }

  /**
   * Reciprocal rank at cutoff k: {@code 1 / rank} of the first relevant document among the top k, 0
   * when there is none (trec_eval {@code recip_rank} on the run cut at k, the MS MARCO MRR@10).
   *
   * @param k the cutoff, at least 1
   * @param ranking retrieved document ids, best first, without repeats
   * @param judgments the query's judgments, document id to grade
   * @param relevanceThreshold the lowest grade that counts as relevant, at least 1
   * @return the reciprocal rank in [0, 1]
   * @throws IllegalArgumentException if {@code k} is less than 1, {@code ranking} repeats a document,
   *     or {@code relevanceThreshold} is less than 1
   * @throws NullPointerException if {@code ranking} or {@code judgments} is null
   */
  public static double reciprocalRankAt(
      int k, List<String> ranking, Map<String, Integer> judgments, int relevanceThreshold) {
    checkInputs(k, ranking, judgments);
    checkThreshold(relevanceThreshold);
    for (int i = 0; i < Math.min(k, ranking.size()); i++) {
      if (isRelevant(ranking.get(i), judgments, relevanceThreshold)) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  /**
   * Recall at cutoff k, as trec_eval {@code recall.k}: relevant documents among the top k divided
   * by all judged relevant documents of the query; 0 when the query has none.
   *
   * @param k the cutoff, at least 1
   * @param ranking retrieved document ids, best first, without repeats
   * @param judgments the query's judgments, document id to grade
   * @param relevanceThreshold the lowest grade that counts as relevant, at least 1
   * @return recall@k in [0, 1]
   * @throws IllegalArgumentException if {@code k} is less than 1, {@code ranking} repeats a document,
   *     or {@code relevanceThreshold} is less than 1
   * @throws NullPointerException if {@code ranking} or {@code judgments} is null
   */
  public static double recallAt(
      int k, List<String> ranking, Map<String, Integer> judgments, int relevanceThreshold) {
    checkInputs(k, ranking, judgments);
    checkThreshold(relevanceThreshold);
    long relevant = relevantCount(judgments, relevanceThreshold);
    if (relevant == 0) {
      return 0;
    }
    long found =
        ranking.stream()
            .limit(k)
            .filter(docid -> isRelevant(docid, judgments, relevanceThreshold))
            .count();
    return (double) found / relevant;
  }

  /**
   * Average precision over the whole ranking, as trec_eval {@code map} per query: the precision at
   * the rank of each retrieved relevant document, summed and divided by all judged relevant
   * documents of the query (relevant documents not retrieved contribute 0); 0 when the query has
   * none.
   *
   * @param ranking retrieved document ids, best first, without repeats
   * @param judgments the query's judgments, document id to grade
   * @param relevanceThreshold the lowest grade that counts as relevant, at least 1
   * @return the average precision in [0, 1]
   * @throws IllegalArgumentException if {@code ranking} repeats a document, or {@code
   *     relevanceThreshold} is less than 1
   * @throws NullPointerException if {@code ranking} or {@code judgments} is null
   */
  public static double averagePrecision(
      List<String> ranking, Map<String, Integer> judgments, int relevanceThreshold) {
    checkInputs(1, ranking, judgments);
    checkThreshold(relevanceThreshold);
    long relevant = relevantCount(judgments, relevanceThreshold);
    if (relevant == 0) {
      return 0;
    }
    double sum = 0;
    int found = 0;
    for (int i = 0; i < ranking.size(); i++) {
      if (isRelevant(ranking.get(i), judgments, relevanceThreshold)) {
        found++;
        sum += (double) found / (i + 1);
      }
    }
    return sum / relevant;
  }

  private static boolean isRelevant(
      String docid, Map<String, Integer> judgments, int relevanceThreshold) {
    Integer grade = judgments.get(docid);
    return grade != null && grade >= relevanceThreshold;
  }

  private static long relevantCount(Map<String, Integer> judgments, int relevanceThreshold) {
    return judgments.values().stream().filter(g -> g >= relevanceThreshold).count();
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }

  static void checkThreshold(int relevanceThreshold) {
    checkArgument(
        relevanceThreshold >= 1,
        "relevance threshold must be at least 1 (grade 0 is non-relevant), got %s",
        relevanceThreshold);
  }

  private static void checkInputs(int k, List<String> ranking, Map<String, Integer> judgments) {
    checkArgument(k >= 1, "cutoff must be at least 1, got %s", k);
    checkNotNull(ranking, "ranking");
    checkNotNull(judgments, "judgments");
    Set<String> seen = new HashSet<>();
    for (String docid : ranking) {
      checkArgument(seen.add(docid), "ranking lists document '%s' twice", docid);
    }
  }
}
