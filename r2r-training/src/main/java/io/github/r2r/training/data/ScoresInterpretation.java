package io.github.r2r.training.data;

/**
 * What the {@code scores} field of a teacher file holds. The field has one entry per passage in
 * BM25 order, but its meaning differs between files: MS MARCO train labels ({@code "0"}/{@code
 * "1"}) in {@code train-msmarco-500.jsonl} and the GPT teacher files, BM25 scores in {@code
 * dev-dl19-top5.jsonl}.
 */
public enum ScoresInterpretation {
  /** Integer relevance labels (strings or numbers); they become {@link TrainingPassage#label()}. */
  RELEVANCE_LABELS,
  /** Retrieval scores, not labels: ignored (the BM25 order is already the passage order). */
  RETRIEVAL_SCORES
}
