package io.github.r2r.generate;

/**
 * The two kinds of reason a decoder writes. Each starts decoding from its own start token (see {@link
 * ReasonConfig}), which is how the decoder knows which kind it is writing: the encoder inputs of the
 * two kinds differ only in having one passage or two.
 */
public enum ReasonKind {
  /** How one passage addresses the query: from {@code query [SEP] passage}. */
  POINTWISE,
  /** Why a passage is ranked above the next one: from {@code query [SEP] above [SEP] below}. */
  COMPARATIVE
}
