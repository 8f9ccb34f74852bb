/**
 * Evaluation of rankings with official trec_eval semantics, and the TREC benchmark files.
 *
 * <ul>
 *   <li>{@link io.github.r2r.eval.Qrels} and {@link io.github.r2r.eval.TrecRun} read and write the
 *       TREC qrels and six-column run formats; a run is ranked as trec_eval ranks it (score
 *       descending, ties by document id descending; the rank column is ignored).
 *   <li>{@link io.github.r2r.eval.Metrics} defines nDCG@k ({@code ndcg_cut}), reciprocal rank@k,
 *       recall@k and average precision ({@code map}); {@link io.github.r2r.eval.Evaluator} applies
 *       them to a run, averaging over the queries in both run and qrels, and returns an {@link
 *       io.github.r2r.eval.EvaluationResult}.
 *   <li>{@link io.github.r2r.eval.TrecBenchmark} loads a benchmark folder ({@code queries.tsv},
 *       {@code candidates.jsonl}, optional {@code qrels.txt}).
 * </ul>
 *
 * <p>Typical use, the BM25 baseline of TREC DL 2019 (nDCG@10 = 0.5058):
 *
 * <pre>{@code
 * TrecBenchmark dl19 = TrecBenchmark.load(dir);
 * EvaluationResult result =
 *     Evaluator.trecDeepLearningPassage().evaluate(dl19.qrels().orElseThrow(), dl19.bm25Run());
 * double ndcg = result.mean("ndcg@10");
 * }</pre>
 *
 * <p>Malformed input files raise {@link io.github.r2r.eval.DataFormatException}, whose message
 * starts with {@code file:line}.
 */
package io.github.r2r.eval;
