package io.github.r2r.model;

/**
 * Number format of the encoder's matrix products at inference ({@code
 * Reranker.builder().precision(...)}). Training always runs in float32.
 */
public enum Precision {
  /**
   * float32 throughout (the default): scores equal the op-by-op reference path up to float rounding
   * (within 1e-4, tested).
   */
  FP32,
  /**
   * Matrix products and attention in bfloat16, the residual stream, LayerNorms and embeddings in
   * float32. About twice as fast on CPUs with AVX512-BF16 or AMX (measured in docs/performance.md);
   * on CPUs without them libtorch emulates bfloat16 and it can be slower than {@link #FP32}. Scores
   * differ from float32 ones by bfloat16 rounding (about 1e-3 of a cosine), which can swap documents
   * whose scores are that close; the ranking quality measured on TREC DL19 is in
   * docs/performance.md.
   */
  BF16;

  /**
   * {@link #BF16} when this machine's CPU reports native bfloat16 arithmetic (the Linux flags {@code
   * avx512_bf16} or {@code amx_bf16}), else {@link #FP32}: {@code
   * Reranker.builder().precision(Precision.fastestForThisCpu())}. FP32 wherever the flags cannot be read.
   */
  public static Precision fastestForThisCpu() {
    return CpuFlags.hasBFloat16(CpuFlags.ofThisMachine()) ? BF16 : FP32;
  }
}
