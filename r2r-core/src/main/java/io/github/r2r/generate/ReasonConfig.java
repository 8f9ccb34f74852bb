package io.github.r2r.generate;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.gson.JsonObject;
import io.github.r2r.util.JsonFields;

/**
 * The shape of a reason decoder and of the inputs it was trained on, stored as {@code reasons.json}
 * next to its weights.
 *
 * <p>In {@code reasons.json} a missing {@code copy_attention} means false and a missing {@code rank_hints}
 * means 0 (decoders written before either existed).
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
 * @param rankHints 0 for none; otherwise inputs start with the rank of the (upper) passage, {@code rank
 *     r}, ranks above this value written as this value. The decoder then explains the rank it is given:
 *     a pointwise reason for rank 1 says why the passage is the best answer, one for rank 5 why it is
 *     not. Trained on the teacher's ranks, used with the reranker's.
 */
public record ReasonConfig(
    String encoder,
    int decoderLayers,
    int maxReasonTokens,
    int maxInputTokens,
    String pointwiseStartToken,
    String comparativeStartToken,
    boolean copyAttention,
    int rankHints) {
  /**
   * BERT's {@code [CLS]} for pointwise and {@code [MASK]} for comparative reasons, with copy attention,
   * without rank hints.
   *
   * @param encoder name of the ranking model the decoder was trained with
   * @param decoderLayers transformer layers of the decoder, at least 1
   * @param maxReasonTokens decoder positions, start token included, at least 2
   * @param maxInputTokens the longest encoder input, at least 16
   * @throws IllegalArgumentException if {@code encoder} is null or blank, or a number is below its
   *     minimum
   */
  public ReasonConfig(String encoder, int decoderLayers, int maxReasonTokens, int maxInputTokens) {
    this(encoder, decoderLayers, maxReasonTokens, maxInputTokens, "[CLS]", "[MASK]", true, 0);
  }

  /**
   * The same decoder declared for another encoder (one whose states it fits, e.g. a fine-tuned copy).
   *
   * @param newEncoder name of that encoder's ranking model
   * @return this config with {@code encoder} replaced
   * @throws IllegalArgumentException if {@code newEncoder} is null or blank
   */
  public ReasonConfig withEncoder(String newEncoder) {
    return new ReasonConfig(newEncoder, decoderLayers, maxReasonTokens, maxInputTokens, pointwiseStartToken,
        comparativeStartToken, copyAttention, rankHints);
  }

  /**
   * The same shape with rank hints up to {@code rankHints} (0: none).
   *
   * @param rankHints the largest rank written, in {@code [0, MAX_RANK_HINTS]}
   * @return this config with {@code rankHints} replaced
   * @throws IllegalArgumentException if {@code rankHints} is outside {@code [0, MAX_RANK_HINTS]}
   */
  public ReasonConfig withRankHints(int rankHints) {
    return new ReasonConfig(encoder, decoderLayers, maxReasonTokens, maxInputTokens, pointwiseStartToken,
        comparativeStartToken, copyAttention, rankHints);
  }

  /**
   * Checks the components.
   *
   * @param encoder name of the ranking model the decoder was trained with; non-blank
   * @param decoderLayers transformer layers of the decoder, at least 1
   * @param maxReasonTokens decoder positions, start token included, at least 2
   * @param maxInputTokens the longest encoder input, at least 16
   * @param pointwiseStartToken the start token of pointwise reasons
   * @param comparativeStartToken the start token of comparative reasons; not the pointwise one
   * @param copyAttention whether the decoder can copy input tokens
   * @param rankHints the largest rank written into inputs, in {@code [0, MAX_RANK_HINTS]}; 0 for none
   * @throws IllegalArgumentException if {@code encoder} is null or blank, a start token is null, both
   *     start tokens are equal, or a number is outside its range
   */
  public ReasonConfig {
    checkArgument(encoder != null && !encoder.isBlank(), "reason config names no encoder");
    checkArgument(decoderLayers >= 1, "decoder_layers must be at least 1, got %s", decoderLayers);
    checkArgument(maxReasonTokens >= 2, "max_reason_tokens must be at least 2, got %s", maxReasonTokens);
    checkArgument(maxInputTokens >= 16, "max_input_tokens must be at least 16, got %s", maxInputTokens);
    checkArgument(pointwiseStartToken != null && comparativeStartToken != null, "start tokens must not be null");
    checkArgument(!pointwiseStartToken.equals(comparativeStartToken),
        "pointwise and comparative reasons need different start tokens, both are '%s'", pointwiseStartToken);
    checkArgument(rankHints >= 0 && rankHints <= MAX_RANK_HINTS,
        "rank_hints must be between 0 and %s, got %s", MAX_RANK_HINTS, rankHints);
  }

  /** The largest {@code rank_hints}: a hint is a few tokens of the input, not a long number. */
  public static final int MAX_RANK_HINTS = 1000;

  /** {@return whether inputs carry the rank they are explained at} */
  public boolean hasRankHints() {
    return rankHints > 0;
  }

  /**
   * {@return this config as {@code reasons.json} stores it: snake_case keys ({@code decoder_layers},
   * ...), every field written}
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("encoder", encoder);
    json.addProperty("decoder_layers", decoderLayers);
    json.addProperty("max_reason_tokens", maxReasonTokens);
    json.addProperty("max_input_tokens", maxInputTokens);
    json.addProperty("pointwise_start_token", pointwiseStartToken);
    json.addProperty("comparative_start_token", comparativeStartToken);
    json.addProperty("copy_attention", copyAttention);
    json.addProperty("rank_hints", rankHints);
    return json;
  }

  /**
   * Reads {@link #toJson()}'s form; {@code copy_attention} and {@code rank_hints} may be missing (false
   * and 0).
   *
   * @param json the parsed {@code reasons.json}
   * @return the config it describes
   * @throws IllegalArgumentException if a required field is missing, a field has the wrong type, or a
   *     value is out of range; the message names the field
   */
  public static ReasonConfig fromJson(JsonObject json) {
    return new ReasonConfig(
        string(json, "encoder"), integer(json, "decoder_layers"), integer(json, "max_reason_tokens"),
        integer(json, "max_input_tokens"), string(json, "pointwise_start_token"),
        string(json, "comparative_start_token"),
        json.has("copy_attention") && bool(json, "copy_attention"),
        json.has("rank_hints") ? integer(json, "rank_hints") : 0);
  }

  private static String string(JsonObject json, String key) {
    checkArgument(json.has(key), "reasons.json has no string '%s'", key);
    return JsonFields.string(key, json.get(key));
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
    return JsonFields.integer(key, json.get(key));
  }
}
