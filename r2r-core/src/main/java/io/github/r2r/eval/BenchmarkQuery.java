package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A benchmark query and its first-stage candidates in BM25 order (ranks strictly increasing, no
 * document twice).
 *
 * @param qid the query id
 * @param query the query text
 * @param candidates the candidates in BM25 order (immutable)
 */
public record BenchmarkQuery(String qid, String query, List<Candidate> candidates) {
  /**
   * Checks the components and copies the candidates.
   *
   * @param qid the query id: non-empty, without whitespace
   * @param query the query text
   * @param candidates the candidates in BM25 order, copied
   * @throws NullPointerException if an argument is null or {@code candidates} holds null
   * @throws IllegalArgumentException if {@code qid} is empty or contains whitespace, a document is
   *     listed twice, or the BM25 ranks do not strictly increase
   */
  public BenchmarkQuery {
    Qrels.checkId(qid, "query id");
    checkNotNull(query, "query");
    candidates = ImmutableList.copyOf(candidates);
    Set<String> docids = new HashSet<>();
    for (int i = 0; i < candidates.size(); i++) {
      Candidate candidate = candidates.get(i);
      checkArgument(
          docids.add(candidate.docid()),
          "query '%s' lists candidate '%s' twice",
          qid,
          candidate.docid());
      checkArgument(
          i == 0 || candidates.get(i - 1).bm25Rank() < candidate.bm25Rank(),
          "candidates of query '%s' are not in BM25 order: rank %s follows rank %s",
          qid,
          candidate.bm25Rank(),
          i == 0 ? 0 : candidates.get(i - 1).bm25Rank());
    }
  }

  /** {@return the candidate document ids in BM25 order} */
  public List<String> candidateDocids() {
    return candidates.stream().map(Candidate::docid).collect(ImmutableList.toImmutableList());
  }
}
