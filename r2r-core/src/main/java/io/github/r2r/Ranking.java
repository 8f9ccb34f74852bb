package io.github.r2r;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The documents of one query in rank order (best first): immutable, iterable in rank order. Equal
 * scores keep their input order, so a ranking is fully determined by the scores.
 */
public final class Ranking implements Iterable<RankedDocument> {
  private final String query;
  private final ImmutableList<RankedDocument> ranked;
  private final ImmutableList<Comparison> comparisons;

  private Ranking(String query, ImmutableList<RankedDocument> ranked, ImmutableList<Comparison> comparisons) {
    this.query = query;
    this.ranked = ranked;
    this.comparisons = comparisons;
  }

  /**
   * Ranks {@code documents} by {@code scores} (same order, higher is better), ties broken by input
   * position: how a {@link Reranker} builds its rankings, public for callers that score elsewhere and for
   * tests of code that consumes rankings.
   *
   * @param query the query the documents were scored for
   * @param documents the documents, in input order; not checked for blank text or duplicate ids
   * @param scores {@code scores[i]} is the score of {@code documents.get(i)}
   * @return the documents best first, without explanations
   * @throws IllegalArgumentException if an argument is null, or {@code scores} is not as long as
   *     {@code documents}
   */
  public static Ranking of(String query, List<Document> documents, float[] scores) {
    checkArgument(query != null, "query is null");
    checkArgument(documents != null, "documents is null");
    checkArgument(scores != null, "scores is null");
    checkArgument(
        documents.size() == scores.length,
        "%s documents but %s scores",
        documents.size(),
        scores.length);
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(
        order,
        Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
    ImmutableList.Builder<RankedDocument> builder = ImmutableList.builder();
    for (int r = 0; r < order.length; r++) {
      int i = order[r];
      builder.add(new RankedDocument(documents.get(i), scores[i], r + 1, i));
    }
    return new Ranking(query, builder.build(), ImmutableList.of());
  }

  /**
   * This ranking with {@code evidence.get(i)} attached to the document at rank {@code i + 1}; the
   * documents below the first {@code evidence.size()} keep none.
   */
  Ranking withEvidence(List<Evidence> evidence) {
    checkArgument(
        evidence.size() <= ranked.size(), "%s evidences for %s documents", evidence.size(), ranked.size());
    ImmutableList.Builder<RankedDocument> builder = ImmutableList.builder();
    for (int i = 0; i < ranked.size(); i++) {
      builder.add(i < evidence.size() ? ranked.get(i).withEvidence(evidence.get(i)) : ranked.get(i));
    }
    return new Ranking(query, builder.build(), comparisons);
  }

  /** This ranking with {@code reasons.get(i)} attached to the document at rank {@code i + 1}. */
  Ranking withReasons(List<String> reasons) {
    checkArgument(reasons.size() <= ranked.size(), "%s reasons for %s documents", reasons.size(), ranked.size());
    ImmutableList.Builder<RankedDocument> builder = ImmutableList.builder();
    for (int i = 0; i < ranked.size(); i++) {
      builder.add(i < reasons.size() ? ranked.get(i).withReason(reasons.get(i)) : ranked.get(i));
    }
    return new Ranking(query, builder.build(), comparisons);
  }

  /** This ranking with {@code newComparisons}, which must describe adjacent documents of it. */
  Ranking withComparisons(List<Comparison> newComparisons) {
    for (Comparison c : newComparisons) {
      checkArgument(
          c.aboveRank() < ranked.size()
              && ranked.get(c.aboveRank() - 1).id().equals(c.aboveId())
              && ranked.get(c.aboveRank()).id().equals(c.belowId()),
          "comparison %s does not describe ranks %s and %s", c, c.aboveRank(), c.aboveRank() + 1);
    }
    return new Ranking(query, ranked, ImmutableList.copyOf(newComparisons));
  }

  /** {@return the query the documents were ranked for} */
  public String query() {
    return query;
  }

  /** {@return all documents, best first (immutable)} */
  public List<RankedDocument> documents() {
    return ranked;
  }

  /**
   * Why each explained document is above the next ({@link Explain#COMPARATIVE}): one entry per adjacent
   * pair of the explained top documents, best pair first; empty when comparisons were not asked for.
   *
   * @return the comparisons (immutable), the one of ranks 1 and 2 first
   */
  public List<Comparison> comparisons() {
    return comparisons;
  }

  /**
   * The best {@code k} documents (all of them when fewer).
   *
   * @param k how many documents, 0 or more
   * @return the first {@code min(k, size())} documents, best first (immutable)
   * @throws IllegalArgumentException if {@code k} is negative
   */
  public List<RankedDocument> topK(int k) {
    checkArgument(k >= 0, "k must be non-negative, got %s", k);
    return ranked.subList(0, Math.min(k, ranked.size()));
  }

  /**
   * The document at 1-based {@code rank}.
   *
   * @param rank the rank, in {@code [1, size()]}
   * @return the document at that rank
   * @throws IllegalArgumentException if {@code rank} is outside {@code [1, size()]}
   */
  public RankedDocument atRank(int rank) {
    checkArgument(rank >= 1 && rank <= ranked.size(), "rank %s is outside [1, %s]", rank, ranked.size());
    return ranked.get(rank - 1);
  }

  /** {@return the number of documents ranked} */
  public int size() {
    return ranked.size();
  }

  /** {@return whether no document was ranked} */
  public boolean isEmpty() {
    return ranked.isEmpty();
  }

  @Override
  public Iterator<RankedDocument> iterator() {
    return ranked.iterator();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("Ranking for \"").append(query).append("\"\n");
    for (RankedDocument d : ranked) {
      String text = d.text().length() > 80 ? d.text().substring(0, 77) + "..." : d.text();
      // Locale.ROOT: "0.8123" everywhere, not "0,8123" on a German desktop.
      out.append(String.format(Locale.ROOT, "%3d. %8.4f  [%s] %s%n", d.rank(), d.score(), d.id(), text));
    }
    return out.toString();
  }

  /** Equal when query, documents (with scores, ranks and explanations) and comparisons are equal. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Ranking that
        && query.equals(that.query)
        && ranked.equals(that.ranked)
        && comparisons.equals(that.comparisons);
  }

  @Override
  public int hashCode() {
    return Objects.hash(query, ranked, comparisons);
  }
}
