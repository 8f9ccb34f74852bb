package io.github.r2r;

/**
 * How {@link Explain#EVIDENCE} scores a document's candidate sentences ({@link
 * Reranker.Builder#evidenceScoring}).
 */
public enum EvidenceScoring {
  /** The model's trained evidence head when it has one, zero-shot otherwise (the default). */
  AUTO,
  /**
   * The model's trained evidence head ({@link io.github.r2r.evidence.EvidenceHead}): for a model
   * directory its {@code evidence.safetensors}, for a pretrained encoder the head shipped for it.
   * {@link Reranker.Builder#build()} fails when the model has none.
   */
  TRAINED_HEAD,
  /** Each sentence scored as a document of its own, as the model scores documents; no training. */
  ZERO_SHOT
}
