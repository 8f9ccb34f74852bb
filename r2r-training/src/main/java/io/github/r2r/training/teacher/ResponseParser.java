package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a ranking with reasons out of a model's answer, repairing it only where that is safe.
 *
 * <p>Accepted: a JSON object with a {@code ranked_passages} list (or the bare list), optionally
 * wrapped in markdown code fences, surrounded by prose, or preceded by a {@code <think>} block.
 * Each entry needs an {@code identifier} (a whole number, also written {@code 3.0}, or a string
 * holding one number such as {@code "[3]"}); missing reason fields become empty strings. When the
 * answer holds several JSON values (prose with braces, other code blocks), the first object with a
 * {@code ranked_passages} list is the ranking.
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
  /**
   * One number in a string ("[3]", "passage 3", "-2"); a minus sign counts only where it cannot be a
   * hyphen joining a word to the number ("passage-3" is passage 3).
   */
  private static final Pattern ONE_NUMBER = Pattern.compile("^\\D*?((?<![\\p{L}\\p{N}])-)?(\\d{1,9})\\D*$");

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
      int identifier = identifier(entry, i + 1, passageCount);
      if (identifier < 1 || identifier > passageCount) {
        throw notAPassage(Integer.toString(identifier), passageCount);
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

  /**
   * The ranking's JSON: the first object with a {@code ranked_passages} list among the whole answer,
   * each fenced block and the value starting at each '{'; else a bare list (the whole answer or a
   * fenced block); else the first JSON object found, so that the caller can say what it lacks.
   */
  private static JsonElement parseJson(String answer) throws InvalidResponseException {
    String text = THINKING.matcher(answer).replaceAll("").trim();
    List<JsonElement> wholes = new ArrayList<>();
    addIfParsed(wholes, tryParse(text));
    Matcher fenced = FENCED.matcher(text);
    while (fenced.find()) {
      addIfParsed(wholes, tryParse(fenced.group(1)));
    }
    for (JsonElement whole : wholes) {
      if (hasRanking(whole)) {
        return whole;
      }
    }
    // Models put prose, code or a second object around the JSON, and that prose may hold braces of
    // its own; so every '{' is tried as the start of the ranking rather than one guessed span.
    JsonObject firstObject = null;
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '}') {
        depth = Math.max(0, depth - 1);
      } else if (c == '{') {
        JsonElement value = parseValueAt(text, i);
        if (hasRanking(value)) {
          return value;
        }
        // Only for the error message: an object nested in another (say one entry of a ranking cut
        // off mid-way) is not "the JSON object" of the answer, so only objects at brace depth 0
        // count. The depth ignores quoting; it decides which problem is named, never what is used.
        if (firstObject == null && depth == 0 && value != null && value.isJsonObject()) {
          firstObject = value.getAsJsonObject();
        }
        depth++;
      }
    }
    for (JsonElement whole : wholes) {
      if (whole.isJsonArray()) {
        return whole;
      }
    }
    if (!wholes.isEmpty()) {
      return wholes.get(0);
    }
    if (firstObject != null) {
      return firstObject;
    }
    throw new InvalidResponseException(
        "the answer is not a JSON object (it starts with '" + preview(answer) + "')");
  }

  private static void addIfParsed(List<JsonElement> candidates, JsonElement parsed) {
    if (parsed != null && (parsed.isJsonObject() || parsed.isJsonArray())) {
      candidates.add(parsed);
    }
  }

  private static boolean hasRanking(JsonElement element) {
    return element != null
        && element.isJsonObject()
        && element.getAsJsonObject().get("ranked_passages") != null
        && element.getAsJsonObject().get("ranked_passages").isJsonArray();
  }

  /** The one JSON value that starts at {@code start}, ignoring whatever follows it; or null. */
  private static JsonElement parseValueAt(String text, int start) {
    try (StringReader reader = new StringReader(text)) {
      reader.skip(start);
      // Reads one value, leniently as parseString does for the whole answer, and stops there.
      return JsonParser.parseReader(new JsonReader(reader));
    } catch (JsonParseException | IOException e) {
      return null;
    }
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

  /**
   * The entry's identifier: a JSON number that is a whole number (2 or 2.0), or a string holding one
   * number ("[2]"). A minus sign right before the digits belongs to the number, so "-2" is -2, which
   * the caller rejects as not a passage, instead of passage 2.
   */
  private static int identifier(JsonObject entry, int entryNumber, int passageCount)
      throws InvalidResponseException {
    JsonElement value = entry.get("identifier");
    if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
      BigDecimal number;
      try {
        number = value.getAsBigDecimal();
      } catch (NumberFormatException e) {
        number = null;
      }
      if (number != null) {
        BigDecimal whole = number.stripTrailingZeros();
        if (whole.scale() > 0) {
          throw new InvalidResponseException(
              "entry "
                  + entryNumber
                  + " of ranked_passages has identifier "
                  + value.getAsString()
                  + ", which is not a whole number");
        }
        if (whole.compareTo(BigDecimal.ONE) < 0
            || whole.compareTo(BigDecimal.valueOf(passageCount)) > 0) {
          throw notAPassage(whole.toPlainString(), passageCount);
        }
        return whole.intValueExact();
      }
    }
    if (value != null && value.isJsonPrimitive()) {
      Matcher number = ONE_NUMBER.matcher(value.getAsString().trim());
      if (number.matches()) {
        return Integer.parseInt((number.group(1) != null ? "-" : "") + number.group(2));
      }
    }
    throw new InvalidResponseException(
        "entry " + entryNumber + " of ranked_passages has no numeric \"identifier\"");
  }

  private static InvalidResponseException notAPassage(String identifier, int passageCount) {
    return new InvalidResponseException(
        "identifier " + identifier + " is not one of the passages 1 to " + passageCount);
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
