package io.github.r2r.model;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.r2r.util.JsonFields;

/**
 * Everything r2r needs to use an encoder beyond its architecture: how it scores, how it pools, the
 * prefixes its training used, and the longest input it accepts. Stored in {@code config.json} under
 * the key {@value #JSON_KEY} next to the HF architecture fields, which HF tools ignore.
 *
 * @param name the model's name; a reason decoder names the model it was trained with by it
 * @param encoder the encoder's architecture
 * @param scoring bi-encoder or cross-encoder
 * @param pooling how a bi-encoder turns token states into one embedding
 * @param queryPrefix text put before every query (e5's {@code "query: "}); may be empty
 * @param passagePrefix text put before every passage; may be empty
 * @param maxLength the longest input in tokens, special tokens included
 */
public record ModelConfig(
    String name,
    BertConfig encoder,
    ScoringMode scoring,
    Pooling pooling,
    String queryPrefix,
    String passagePrefix,
    int maxLength) {

  /** The key of this library's section in {@code config.json}. */
  public static final String JSON_KEY = "r2r";

  /**
   * Checks the components.
   *
   * @param name the model's name
   * @param encoder the encoder's architecture
   * @param scoring bi-encoder or cross-encoder
   * @param pooling how a bi-encoder pools
   * @param queryPrefix text put before every query
   * @param passagePrefix text put before every passage
   * @param maxLength the longest input in tokens, in {@code [8, encoder.maxPositionEmbeddings()]}
   * @throws NullPointerException if a component other than {@code maxLength} is null
   * @throws IllegalArgumentException if {@code maxLength} is out of range, or a cross-encoder's encoder
   *     has fewer than 2 token types
   */
  public ModelConfig {
    checkNotNull(name, "name");
    checkNotNull(encoder, "encoder");
    checkNotNull(scoring, "scoring");
    checkNotNull(pooling, "pooling");
    checkNotNull(queryPrefix, "queryPrefix");
    checkNotNull(passagePrefix, "passagePrefix");
    // Its passage is segment 1 (SequenceBuilder.pairWindows); with one token type the first score would fail
    // in the engine.
    checkArgument(
        scoring != ScoringMode.CROSS_ENCODER || encoder.typeVocabSize() >= 2,
        "a CROSS_ENCODER marks the passage with token type 1, so type_vocab_size must be at least 2, got %s",
        encoder.typeVocabSize());
    checkArgument(
        maxLength >= 8 && maxLength <= encoder.maxPositionEmbeddings(),
        "maxLength %s must be in [8, max_position_embeddings=%s]",
        maxLength,
        encoder.maxPositionEmbeddings());
  }

  /**
   * {@return this config with another scoring mode}
   *
   * @param newScoring the scoring mode
   * @throws NullPointerException if {@code newScoring} is null
   * @throws IllegalArgumentException if it is {@link ScoringMode#CROSS_ENCODER} and the encoder has
   *     fewer than 2 token types
   */
  public ModelConfig withScoring(ScoringMode newScoring) {
    return new ModelConfig(name, encoder, newScoring, pooling, queryPrefix, passagePrefix, maxLength);
  }

  /**
   * {@return this config under another name}
   *
   * @param newName the name
   * @throws NullPointerException if {@code newName} is null
   */
  public ModelConfig withName(String newName) {
    return new ModelConfig(newName, encoder, scoring, pooling, queryPrefix, passagePrefix, maxLength);
  }

  /**
   * Reads a full {@code config.json}: HF architecture fields plus the {@value #JSON_KEY} section, in
   * which {@code scoring} and {@code pooling} are required and {@code name}, {@code query_prefix},
   * {@code passage_prefix} and {@code max_length} default to {@code "unnamed"}, empty, empty and 512.
   *
   * @param json the parsed {@code config.json}
   * @return the config
   * @throws IllegalArgumentException if the architecture fails {@link BertConfig#fromJson}, the section
   *     is missing, or one of its fields is missing, mistyped or out of range (the message names it)
   */
  public static ModelConfig fromJson(JsonObject json) {
    BertConfig encoder = BertConfig.fromJson(json);
    checkArgument(
        json.has(JSON_KEY) && json.get(JSON_KEY).isJsonObject(),
        "config.json has no '%s' section: it is a plain HF checkpoint; add \"%s\": {\"scoring\": ..., \"pooling\": ...}"
            + " to say how to score it (see \"Model directory\" in docs/architecture.md)",
        JSON_KEY,
        JSON_KEY);
    JsonObject r2r = json.getAsJsonObject(JSON_KEY);
    try {
      return new ModelConfig(
          r2r.has("name") ? JsonFields.string("name", r2r.get("name")) : "unnamed",
          encoder,
          oneOf(ScoringMode.class, r2r, "scoring"),
          oneOf(Pooling.class, r2r, "pooling"),
          r2r.has("query_prefix") ? JsonFields.string("query_prefix", r2r.get("query_prefix")) : "",
          r2r.has("passage_prefix") ? JsonFields.string("passage_prefix", r2r.get("passage_prefix")) : "",
          r2r.has("max_length") ? JsonFields.integer("max_length", r2r.get("max_length")) : 512);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("config.json '" + JSON_KEY + "' section: " + e.getMessage(), e);
    }
  }

  /**
   * The HF {@code config.json} fields ({@link BertConfig#toJson}) plus what transformers needs to pick
   * the right class: {@code BertModel} for a bi-encoder; {@code BertForSequenceClassification} with one
   * label for a cross-encoder (without {@code id2label} it would build a two-label classifier and fail
   * on our one-row {@code classifier.weight}); and this library's own section.
   *
   * @return a new JSON object, as {@link #fromJson} reads it
   */
  public JsonObject toJson() {
    JsonObject json = encoder.toJson();
    JsonArray architectures = new JsonArray();
    if (scoring == ScoringMode.CROSS_ENCODER) {
      architectures.add("BertForSequenceClassification");
      JsonObject id2label = new JsonObject();
      id2label.addProperty("0", "LABEL_0");
      JsonObject label2id = new JsonObject();
      label2id.addProperty("LABEL_0", 0);
      json.add("id2label", id2label);
      json.add("label2id", label2id);
    } else {
      architectures.add("BertModel");
    }
    json.add("architectures", architectures);
    JsonObject r2r = new JsonObject();
    r2r.addProperty("name", name);
    r2r.addProperty("scoring", scoring.name());
    r2r.addProperty("pooling", pooling.name());
    r2r.addProperty("query_prefix", queryPrefix);
    r2r.addProperty("passage_prefix", passagePrefix);
    r2r.addProperty("max_length", maxLength);
    json.add(JSON_KEY, r2r);
    return json;
  }

  /** An enum field, named with its allowed values when it holds none of them ("bi_encoder" is not BI_ENCODER). */
  private static <E extends Enum<E>> E oneOf(Class<E> type, JsonObject json, String key) {
    String value = required(json, key);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(value)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        "field '" + key + "' is \"" + value + "\"; expected one of " + java.util.Arrays.toString(type.getEnumConstants()));
  }

  private static String required(JsonObject json, String key) {
    checkArgument(json.has(key), "missing field '%s'", key);
    return JsonFields.string(key, json.get(key));
  }
}
