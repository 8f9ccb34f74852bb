package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a ranking with reasons out of a model's answer, repairing it only where that is safe.
 *
 * <p>Accepted: a JSON object with a {@code ranked_passages} list (or the bare list), optionally
 * wrapped in markdown code fences, surrounded by prose, or preceded by a {@code <think>} block.
 * Each entry needs an {@code identifier} (a number, or a string holding one number such as {@code
 * "[3]"}); missing reason fields become empty strings.
 *
 * <p>Policy:
 *
 * <ul>
 *   <li>Passages left out are <em>repaired</em>: appended after the ranked ones in input order,
 *       flagged {@link RankedPassage#repaired()}, as long as no more than {@code
 *       maxMissingFraction} of the passages are missing. The teacher's relative order of what it
 *       did rank stays intact, so this is safe.
 *   <li>An identifier that appears twice, or that is not one of {@code 1..n}, is <em>rejected</em>:
 *       the answer contradicts itself or numbers passages differently from the prompt, and no
 *       repair can tell which passage was meant. So are answers that are not JSON, have no ranking,
 *       or miss too many passages. The caller asks again.
 * </ul>
 */
final class ResponseParser {
  private static final Pattern FENCED =
      Pattern.compile("```[a-zA-Z]*\\s*(.*?)\\s*```", Pattern.DOTALL);
  private static final Pattern THINKING = Pattern.compile("<think>.*?</think>", Pattern.DOTALL);
  private static final Pattern ONE_NUMBER = Pattern.compile("^\\D*?(\\d{1,9})\\D*$");

  private final double maxMissingFraction;

  ResponseParser(double maxMissingFraction) {
    checkArgument(
        maxMissingFraction >= 0 && maxMissingFraction < 1,
        "maxMissingFraction must be in [0, 1), got %s",
        maxMissingFraction);
    this.maxMissingFraction = maxMissingFraction;
  }

  /** The ranking of {@code passageCount} passages the answer gives, best first. */
  ImmutableList<RankedPassage> parse(String answer, int passageCount)
      throws InvalidResponseException {
    checkArgument(passageCount >= 1, "passageCount must be >= 1, got %s", passageCount);
    JsonArray entries = rankingEntries(parseJson(answer));
    if (entries.isEmpty()) {
      throw new InvalidResponseException("the ranked_passages list is empty");
    }
    boolean[] ranked = new boolean[passageCount];
    List<RankedPassage> ranking = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!entries.get(i).isJsonObject()) {
        throw new InvalidResponseException(
            "entry " + (i + 1) + " of ranked_passages is not a JSON object");
      }
      JsonObject entry = entries.get(i).getAsJsonObject();
      int identifier = identifier(entry, i + 1);
      if (identifier < 1 || identifier > passageCount) {
        throw new InvalidResponseException(
            "identifier " + identifier + " is not one of the passages 1 to " + passageCount);
      }
      if (ranked[identifier - 1]) {
        throw new InvalidResponseException(
            "identifier " + identifier + " appears more than once; rank each passage once");
      }
      ranked[identifier - 1] = true;
      ranking.add(
          new RankedPassage(
              identifier - 1,
              text(entry, "direct_reason"),
              text(entry, "listwise_reason"),
              text(entry, "direct_answer_sentence"),
              false));
    }
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < passageCount; i++) {
      if (!ranked[i]) {
        missing.add(i);
      }
    }
    if (missing.size() > Math.floor(passageCount * maxMissingFraction)) {
      throw new InvalidResponseException(
          missing.size()
              + " of the "
              + passageCount
              + " passages are missing from the ranking (identifiers "
              + oneBased(missing)
              + "); rank all of them");
    }
    for (int index : missing) {
      ranking.add(RankedPassage.repairedAt(index));
    }
    return ImmutableList.copyOf(ranking);
  }

  private static JsonElement parseJson(String answer) throws InvalidResponseException {
    String text = THINKING.matcher(answer).replaceAll("").trim();
    Matcher fenced = FENCED.matcher(text);
    if (fenced.find()) {
      text = fenced.group(1);
    }
    JsonElement whole = tryParse(text);
    if (whole != null && (whole.isJsonObject() || whole.isJsonArray())) {
      return whole;
    }
    int start = text.indexOf('{');
    int end = text.lastIndexOf('}');
    if (start >= 0 && end > start) {
      JsonElement embedded = tryParse(text.substring(start, end + 1));
      if (embedded != null && embedded.isJsonObject()) {
        return embedded;
      }
    }
    throw new InvalidResponseException(
        "the answer is not a JSON object (it starts with '" + preview(answer) + "')");
  }

  private static JsonElement tryParse(String text) {
    try {
      return JsonParser.parseString(text);
    } catch (JsonParseException e) {
      return null;
    }
  }

  private static JsonArray rankingEntries(JsonElement root) throws InvalidResponseException {
    if (root.isJsonArray()) {
      return root.getAsJsonArray();
    }
    JsonElement list = root.getAsJsonObject().get("ranked_passages");
    if (list == null || !list.isJsonArray()) {
      throw new InvalidResponseException("the JSON object has no \"ranked_passages\" list");
    }
    return list.getAsJsonArray();
  }

  private static int identifier(JsonObject entry, int entryNumber) throws InvalidResponseException {
    JsonElement value = entry.get("identifier");
    if (value != null && value.isJsonPrimitive()) {
      Matcher number = ONE_NUMBER.matcher(value.getAsString().trim());
      if (number.matches()) {
        return Integer.parseInt(number.group(1));
      }
    }
    throw new InvalidResponseException(
        "entry " + entryNumber + " of ranked_passages has no numeric \"identifier\"");
  }

  private static String text(JsonObject entry, String field) {
    JsonElement value = entry.get(field);
    return value != null && value.isJsonPrimitive() ? value.getAsString().trim() : "";
  }

  private static String oneBased(List<Integer> indexes) {
    return indexes.stream()
        .map(i -> Integer.toString(i + 1))
        .reduce((a, b) -> a + ", " + b)
        .orElse("");
  }

  static String preview(String text) {
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.length() <= 80 ? flat : flat.substring(0, 80) + "...";
  }
}
