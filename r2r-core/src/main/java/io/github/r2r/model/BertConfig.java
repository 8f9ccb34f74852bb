package io.github.r2r.model;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.r2r.util.JsonFields;
import io.github.r2r.util.Utf8Files;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Architecture of a BERT-family encoder, read from (and written as) a HuggingFace {@code config.json}.
 *
 * <p>Only the fields that shape the network are kept; everything r2r-specific (pooling, prefixes,
 * scoring mode) lives in {@link ModelConfig}.
 *
 * @param vocabSize rows of the word embedding table ({@code vocab_size})
 * @param hiddenSize width of every hidden state ({@code hidden_size})
 * @param numHiddenLayers transformer layers ({@code num_hidden_layers})
 * @param numAttentionHeads attention heads per layer; divides {@code hiddenSize} ({@code
 *     num_attention_heads})
 * @param intermediateSize width of the feed-forward layer ({@code intermediate_size})
 * @param maxPositionEmbeddings the longest input in tokens ({@code max_position_embeddings})
 * @param typeVocabSize number of token types (segments) ({@code type_vocab_size})
 * @param layerNormEps epsilon of every LayerNorm ({@code layer_norm_eps})
 */
public record BertConfig(
    int vocabSize,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    int maxPositionEmbeddings,
    int typeVocabSize,
    float layerNormEps) {

  /**
   * Checks the components.
   *
   * @param vocabSize rows of the word embedding table, positive
   * @param hiddenSize width of every hidden state, positive
   * @param numHiddenLayers transformer layers, positive
   * @param numAttentionHeads attention heads per layer, positive, dividing {@code hiddenSize}
   * @param intermediateSize width of the feed-forward layer, positive
   * @param maxPositionEmbeddings the longest input in tokens, positive
   * @param typeVocabSize number of token types, positive
   * @param layerNormEps epsilon of every LayerNorm, positive and finite
   * @throws IllegalArgumentException if a component is outside its range
   */
  public BertConfig {
    checkArgument(vocabSize > 0, "vocab_size must be positive, got %s", vocabSize);
    checkArgument(hiddenSize > 0, "hidden_size must be positive, got %s", hiddenSize);
    checkArgument(numHiddenLayers > 0, "num_hidden_layers must be positive, got %s", numHiddenLayers);
    checkArgument(numAttentionHeads > 0, "num_attention_heads must be positive, got %s", numAttentionHeads);
    checkArgument(
        hiddenSize % numAttentionHeads == 0,
        "hidden_size %s is not divisible by num_attention_heads %s",
        hiddenSize,
        numAttentionHeads);
    checkArgument(intermediateSize > 0, "intermediate_size must be positive, got %s", intermediateSize);
    checkArgument(
        maxPositionEmbeddings > 0, "max_position_embeddings must be positive, got %s", maxPositionEmbeddings);
    checkArgument(typeVocabSize > 0, "type_vocab_size must be positive, got %s", typeVocabSize);
    // An infinite epsilon would make every layer norm output its bias: a model that runs and ranks nothing.
    checkArgument(
        layerNormEps > 0 && Float.isFinite(layerNormEps), "layer_norm_eps must be positive and finite, got %s",
        layerNormEps);
  }

  /**
   * The MiniLM-L6-H384 / e5-small / bge-small family shape with the given depth: vocabulary 30,522,
   * hidden size 384, 12 heads, feed-forward 1,536, 512 positions, 2 token types.
   *
   * @param layers transformer layers, positive
   * @return the config
   * @throws IllegalArgumentException if {@code layers} is not positive
   */
  public static BertConfig miniLm(int layers) {
    return new BertConfig(30522, 384, layers, 12, 1536, 512, 2, 1e-12f);
  }

  /** {@return the width of one attention head: {@code hiddenSize / numAttentionHeads}} */
  public int headSize() {
    return hiddenSize / numAttentionHeads;
  }

  /**
   * Parses the architecture fields of an HF {@code config.json} object; {@code type_vocab_size},
   * {@code layer_norm_eps} and {@code hidden_act} may be missing (2, 1e-12 and {@code gelu}).
   *
   * @param json the parsed {@code config.json}; other fields are ignored
   * @return the architecture
   * @throws IllegalArgumentException if a required field is missing, a field has the wrong type or is
   *     out of range, or {@code hidden_act} is not {@code gelu}; the message names the field
   */
  public static BertConfig fromJson(JsonObject json) {
    String act = json.has("hidden_act") ? JsonFields.string("hidden_act", json.get("hidden_act")) : "gelu";
    checkArgument(act.equals("gelu"), "unsupported hidden_act '%s': only exact 'gelu' is implemented", act);
    return new BertConfig(
        required(json, "vocab_size"),
        required(json, "hidden_size"),
        required(json, "num_hidden_layers"),
        required(json, "num_attention_heads"),
        required(json, "intermediate_size"),
        required(json, "max_position_embeddings"),
        json.has("type_vocab_size") ? JsonFields.integer("type_vocab_size", json.get("type_vocab_size")) : 2,
        json.has("layer_norm_eps") ? (float) JsonFields.number("layer_norm_eps", json.get("layer_norm_eps")) : 1e-12f);
  }

  /**
   * Reads an HF {@code config.json} file.
   *
   * @param configJson the file
   * @return the architecture
   * @throws IOException if the file cannot be read, is not a JSON object, or fails {@link #fromJson};
   *     the message names the file
   */
  public static BertConfig read(Path configJson) throws IOException {
    String text = Utf8Files.read(configJson);
    try {
      return fromJson(JsonParser.parseString(text).getAsJsonObject());
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(configJson + " is not a JSON object: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IOException(configJson + ": " + e.getMessage(), e);
    }
  }

  /** {@return the HF {@code config.json} fields, so other tools (transformers) can load our models} */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("model_type", "bert");
    json.addProperty("vocab_size", vocabSize);
    json.addProperty("hidden_size", hiddenSize);
    json.addProperty("num_hidden_layers", numHiddenLayers);
    json.addProperty("num_attention_heads", numAttentionHeads);
    json.addProperty("intermediate_size", intermediateSize);
    json.addProperty("max_position_embeddings", maxPositionEmbeddings);
    json.addProperty("type_vocab_size", typeVocabSize);
    json.addProperty("layer_norm_eps", layerNormEps);
    json.addProperty("hidden_act", "gelu");
    json.addProperty("hidden_dropout_prob", 0.1);
    json.addProperty("attention_probs_dropout_prob", 0.1);
    json.addProperty("pad_token_id", 0);
    json.addProperty("position_embedding_type", "absolute");
    return json;
  }

  private static int required(JsonObject json, String key) {
    checkArgument(json.has(key), "config.json is missing required field '%s'", key);
    return JsonFields.integer(key, json.get(key));
  }
}
