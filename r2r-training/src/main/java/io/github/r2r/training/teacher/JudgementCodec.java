package io.github.r2r.training.teacher;

import com.google.common.collect.ImmutableList;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link TeacherJudgement} as JSON and reads it back unchanged. Identifiers are 1-based in
 * JSON, as in the Reason-to-Rank data and the prompt.
 */
final class JudgementCodec {
  private JudgementCodec() {}

  static JsonObject toJson(TeacherJudgement judgement) {
    JsonObject json = new JsonObject();
    json.addProperty("model", judgement.model());
    JsonArray ranked = new JsonArray();
    for (RankedPassage passage : judgement.ranking()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("identifier", passage.inputIndex() + 1);
      entry.addProperty("direct_reason", passage.directReason());
      entry.addProperty("listwise_reason", passage.listwiseReason());
      entry.addProperty("direct_answer_sentence", passage.answerSentence());
      entry.addProperty("repaired", passage.repaired());
      ranked.add(entry);
    }
    json.add("ranked_passages", ranked);
    json.add("usage", usageToJson(judgement.usage()));
    JsonArray raw = new JsonArray();
    judgement.rawResponses().forEach(raw::add);
    json.add("raw_responses", raw);
    json.addProperty("repaired_missing", judgement.repairedMissing());
    return json;
  }

  static JsonObject usageToJson(TokenUsage usage) {
    JsonObject json = new JsonObject();
    json.addProperty("prompt_tokens", usage.promptTokens());
    json.addProperty("completion_tokens", usage.completionTokens());
    return json;
  }

  /**
   * The judgement {@link #toJson} wrote.
   *
   * @throws IllegalArgumentException if {@code json} is not such a judgement
   */
  static TeacherJudgement fromJson(JsonObject json) {
    try {
      List<RankedPassage> ranking = new ArrayList<>();
      for (JsonElement element : json.getAsJsonArray("ranked_passages")) {
        JsonObject entry = element.getAsJsonObject();
        ranking.add(
            new RankedPassage(
                entry.get("identifier").getAsInt() - 1,
                entry.get("direct_reason").getAsString(),
                entry.get("listwise_reason").getAsString(),
                entry.get("direct_answer_sentence").getAsString(),
                entry.get("repaired").getAsBoolean()));
      }
      JsonObject usage = json.getAsJsonObject("usage");
      ImmutableList.Builder<String> raw = ImmutableList.builder();
      json.getAsJsonArray("raw_responses").forEach(r -> raw.add(r.getAsString()));
      return new TeacherJudgement(
          ranking,
          json.get("model").getAsString(),
          new TokenUsage(
              usage.get("prompt_tokens").getAsLong(), usage.get("completion_tokens").getAsLong()),
          raw.build(),
          json.get("repaired_missing").getAsInt());
    } catch (RuntimeException e) {
      // Gson reports a missing or mistyped field as NullPointerException, ClassCastException or
      // IllegalStateException; callers need one meaning: this record is not a judgement.
      throw new IllegalArgumentException("not a stored teacher judgement: " + e, e);
    }
  }
}
