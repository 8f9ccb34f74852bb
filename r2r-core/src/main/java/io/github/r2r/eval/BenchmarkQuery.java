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
 */
public record BenchmarkQuery(String qid, String query, List<Candidate> candidates) {
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

  /** The candidate document ids in BM25 order. */
  public List<String> candidateDocids() {
    return candidates.stream().map(Candidate::docid).collect(ImmutableList.toImmutableList());
  }
}
