package io.github.r2r.generate;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.gson.JsonObject;

/**
 * The shape of a reason decoder and of the inputs it was trained on, stored as {@code reasons.json}
 * next to its weights.
 *
 * <p>In {@code reasons.json} a missing {@code copy_attention} means false.
 *
 * @param encoder name of the ranking model whose encoder and word embeddings the decoder was trained
 *     with ({@code ModelConfig.name()}); the decoder runs only on that model
 * @param decoderLayers transformer layers of the decoder
 * @param maxReasonTokens decoder positions: the start token plus at most this minus one generated tokens
 * @param maxInputTokens the longest encoder input (query and passage, or query and two passages)
 * @param pointwiseStartToken the token decoding of a pointwise reason starts from
 * @param comparativeStartToken the token decoding of a comparative reason starts from; different from
 *     the pointwise one, since it is what tells the decoder which kind to write
 * @param copyAttention whether the decoder can copy input tokens ({@link ReasonDecoder})
 */
public record ReasonConfig(
    String encoder,
    int decoderLayers,
    int maxReasonTokens,
    int maxInputTokens,
    String pointwiseStartToken,
    String comparativeStartToken,
    boolean copyAttention) {
  /** BERT's {@code [CLS]} for pointwise and {@code [MASK]} for comparative reasons, with copy attention. */
  public ReasonConfig(String encoder, int decoderLayers, int maxReasonTokens, int maxInputTokens) {
    this(encoder, decoderLayers, maxReasonTokens, maxInputTokens, "[CLS]", "[MASK]", true);
  }

  public ReasonConfig {
    checkArgument(encoder != null && !encoder.isBlank(), "reason config names no encoder");
    checkArgument(decoderLayers >= 1, "decoder_layers must be at least 1, got %s", decoderLayers);
    checkArgument(maxReasonTokens >= 2, "max_reason_tokens must be at least 2, got %s", maxReasonTokens);
    checkArgument(maxInputTokens >= 16, "max_input_tokens must be at least 16, got %s", maxInputTokens);
    checkArgument(pointwiseStartToken != null && comparativeStartToken != null, "start tokens must not be null");
    checkArgument(!pointwiseStartToken.equals(comparativeStartToken),
        "pointwise and comparative reasons need different start tokens, both are '%s'", pointwiseStartToken);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("encoder", encoder);
    json.addProperty("decoder_layers", decoderLayers);
    json.addProperty("max_reason_tokens", maxReasonTokens);
    json.addProperty("max_input_tokens", maxInputTokens);
    json.addProperty("pointwise_start_token", pointwiseStartToken);
    json.addProperty("comparative_start_token", comparativeStartToken);
    json.addProperty("copy_attention", copyAttention);
    return json;
  }

  /** Reads {@link #toJson()}'s form; a missing or mistyped field is an IllegalArgumentException naming it. */
  public static ReasonConfig fromJson(JsonObject json) {
    return new ReasonConfig(
        string(json, "encoder"), integer(json, "decoder_layers"), integer(json, "max_reason_tokens"),
        integer(json, "max_input_tokens"), string(json, "pointwise_start_token"),
        string(json, "comparative_start_token"),
        json.has("copy_attention") && bool(json, "copy_attention"));
  }

  private static String string(JsonObject json, String key) {
    checkArgument(json.has(key) && json.get(key).isJsonPrimitive(), "reasons.json has no string '%s'", key);
    return json.get(key).getAsString();
  }

  private static boolean bool(JsonObject json, String key) {
    checkArgument(
        json.get(key).isJsonPrimitive() && json.get(key).getAsJsonPrimitive().isBoolean(),
        "reasons.json: '%s' must be true or false", key);
    return json.get(key).getAsBoolean();
  }

  private static int integer(JsonObject json, String key) {
    checkArgument(
        json.has(key) && json.get(key).isJsonPrimitive() && json.get(key).getAsJsonPrimitive().isNumber(),
        "reasons.json has no integer '%s'", key);
    return json.get(key).getAsInt();
  }
}
