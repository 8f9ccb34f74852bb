package io.github.r2r.training.data;

import com.google.common.collect.ImmutableList;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalInt;

/**
 * One JSON Lines row (or an object inside it), parsed strictly; every accessor names the field path
 * in its error ({@code reason.ranked_passages[2].identifier}).
 */
final class JsonRow {
  private final JsonObject object;
  private final String path;

  private JsonRow(JsonObject object, String path) {
    this.object = object;
    this.path = path;
  }

  /** Strict JSON: no comments, unquoted names, single quotes or trailing content. */
  static JsonRow parse(String line) throws RejectedRow {
    JsonElement element;
    try {
      JsonReader reader = new JsonReader(new StringReader(line));
      reader.setStrictness(Strictness.STRICT);
      element = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw RejectedRow.malformed("invalid JSON: content after the JSON value");
      }
    } catch (JsonParseException | IOException e) {
      throw new RejectedRow(ReadIssue.Kind.MALFORMED_ROW, "invalid JSON: " + e.getMessage(), e);
    }
    if (!element.isJsonObject()) {
      throw RejectedRow.malformed("expected a JSON object, got " + abbreviate(element));
    }
    return new JsonRow(element.getAsJsonObject(), "");
  }

  String string(String field) throws RejectedRow {
    return stringValue(required(field), path + field);
  }

  JsonRow object(String field) throws RejectedRow {
    JsonElement value = required(field);
    if (!value.isJsonObject()) {
      throw RejectedRow.malformed(
          "field '" + path + field + "' must be an object, got " + abbreviate(value));
    }
    return new JsonRow(value.getAsJsonObject(), path + field + ".");
  }

  JsonArray array(String field) throws RejectedRow {
    JsonElement value = required(field);
    if (!value.isJsonArray()) {
      throw RejectedRow.malformed(
          "field '" + path + field + "' must be an array, got " + abbreviate(value));
    }
    return value.getAsJsonArray();
  }

  /** The objects of an array field. */
  List<JsonRow> objects(String field) throws RejectedRow {
    JsonArray array = array(field);
    ImmutableList.Builder<JsonRow> rows = ImmutableList.builder();
    for (int i = 0; i < array.size(); i++) {
      String name = path + field + "[" + i + "]";
      JsonElement value = array.get(i);
      if (!value.isJsonObject()) {
        throw RejectedRow.malformed(name + " must be an object, got " + abbreviate(value));
      }
      rows.add(new JsonRow(value.getAsJsonObject(), name + "."));
    }
    return rows.build();
  }

  /** The strings of an array field (numbers are accepted and kept as written). */
  List<String> strings(String field) throws RejectedRow {
    JsonArray array = array(field);
    ImmutableList.Builder<String> values = ImmutableList.builder();
    for (int i = 0; i < array.size(); i++) {
      values.add(stringValue(array.get(i), path + field + "[" + i + "]"));
    }
    return values.build();
  }

  int integer(String field) throws RejectedRow {
    return integerValue(required(field), path + field);
  }

  /** The integers of an array field; each may be a JSON number or a string such as {@code "3"}. */
  List<Integer> integers(String field) throws RejectedRow {
    JsonArray array = array(field);
    ImmutableList.Builder<Integer> values = ImmutableList.builder();
    for (int i = 0; i < array.size(); i++) {
      values.add(integerValue(array.get(i), path + field + "[" + i + "]"));
    }
    return values.build();
  }

  /** An integer written as a JSON number or a string such as {@code "3"}. */
  static int integerValue(JsonElement value, String name) throws RejectedRow {
    OptionalInt parsed =
        value.isJsonPrimitive() && !value.getAsJsonPrimitive().isBoolean()
            ? parseInteger(value.getAsString())
            : OptionalInt.empty();
    if (parsed.isEmpty()) {
      throw RejectedRow.malformed(name + " must be an integer, got " + abbreviate(value));
    }
    return parsed.getAsInt();
  }

  private static OptionalInt parseInteger(String text) {
    try {
      BigDecimal number = new BigDecimal(text.strip());
      boolean isInt =
          number.stripTrailingZeros().scale() <= 0
              && number.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0;
      return isInt ? OptionalInt.of(number.intValue()) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static String stringValue(JsonElement value, String name) throws RejectedRow {
    if (!value.isJsonPrimitive() || value.getAsJsonPrimitive().isBoolean()) {
      throw RejectedRow.malformed(name + " must be a string, got " + abbreviate(value));
    }
    return value.getAsString();
  }

  private JsonElement required(String field) throws RejectedRow {
    JsonElement value = object.get(field);
    if (value == null || value.isJsonNull()) {
      throw RejectedRow.malformed("missing field '" + path + field + "'");
    }
    return value;
  }

  private static String abbreviate(JsonElement value) {
    String text = value.toString();
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
