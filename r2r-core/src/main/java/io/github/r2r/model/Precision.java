package io.github.r2r.model;

import java.util.Set;

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
   * docs/performance.md. Reason generation reads the bfloat16 encoder states and computes its output
   * product in bfloat16 as well (docs/explanations.md, Cost).
   */
  BF16,
  /**
   * Matrix products in int8 (weights quantised per output feature, activations per token as they
   * enter a product, int32 accumulation); attention, the residual stream, LayerNorms and embeddings
   * in float32. Fastest on CPUs with int8 dot-product instructions (AVX512-VNNI, AVX-VNNI, AMX-INT8;
   * measured in docs/performance.md); elsewhere not measured. Scores differ from float32 ones by int8
   * rounding, more than with {@link #BF16} (the ranking quality measured on TREC DL19 is in
   * docs/performance.md). Every token is quantised on its own, so what the other documents of a batch
   * say never changes a document's score; how much padding its batch needs can, by int8 rounding.
   */
  INT8;

  /**
   * The fastest precision this machine's CPU runs natively, as Linux reports its flags: {@link #BF16}
   * with AMX bfloat16 tiles (AMX-BF16), else {@link #INT8} with int8 dot products (AVX512-VNNI,
   * AVX-VNNI or AMX-INT8), else {@link #BF16} with bfloat16 vector arithmetic (AVX512-BF16), else
   * {@link #FP32}; FP32 wherever the flags cannot be read. The order is measured
   * (docs/performance.md): on a Xeon with AMX, bfloat16 ran DL19 at 1.28 times int8's speed, because
   * its attention runs on the tiles too while int8's stays float32; on a Zen 4 (VNNI and AVX512-BF16,
   * no AMX) int8 ran at 1.43 times bfloat16's. {@code
   * Reranker.builder().precision(Precision.fastestForThisCpu())}.
   *
   * @return the precision to use on this machine
   */
  public static Precision fastestForThisCpu() {
    return fastestFor(CpuFlags.ofThisMachine());
  }

  /** {@link #fastestForThisCpu()} for a CPU with these flags. */
  static Precision fastestFor(Set<String> cpuFlags) {
    if (CpuFlags.hasAmxBFloat16(cpuFlags)) {
      return BF16;
    }
    if (CpuFlags.hasInt8DotProduct(cpuFlags)) {
      return INT8;
    }
    return CpuFlags.hasBFloat16(cpuFlags) ? BF16 : FP32;
  }
}
