/**
 * Readers that turn the project's training data into one representation, {@link
 * io.github.r2r.training.data.TrainingQuery} (a query, its {@link
 * io.github.r2r.training.data.TrainingPassage passages} in BM25 order with optional labels, teacher
 * reasons and evidence, and an optional teacher order).
 *
 * <ul>
 *   <li>{@link io.github.r2r.training.data.ReasonToRankReader}: the Reason-to-Rank teacher JSONL
 *       (JSON reasons per passage).
 *   <li>{@link io.github.r2r.training.data.FreeTextTeacherReader}: the GPT-3.5 / GPT-4 free-text
 *       answers, one query per BM25 window.
 *   <li>{@link io.github.r2r.training.data.TrecTrainingReader}: TREC candidates with graded qrels
 *       labels, optionally with judged passages from outside the candidates.
 * </ul>
 *
 * <p>No row is dropped silently: each reader either fails with a {@link
 * io.github.r2r.eval.DataFormatException} naming file and line, or skips the row and records it in
 * the {@link io.github.r2r.training.data.ReadReport} of its {@link
 * io.github.r2r.training.data.ReadResult}, as its {@link
 * io.github.r2r.training.data.MalformedRowPolicy policies} say. By default malformed rows fail and
 * broken teacher permutations are skipped and counted.
 */
package io.github.r2r.training.data;
