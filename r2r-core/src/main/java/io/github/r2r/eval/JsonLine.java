package io.github.r2r.eval;

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
import java.nio.file.Path;

/** One JSON Lines row, read strictly, whose field errors name the file and line. */
final class JsonLine {
  private final JsonObject object;
  private final Path file;
  private final long lineNumber;
  private final String fieldPrefix;

  private JsonLine(JsonObject object, Path file, long lineNumber, String fieldPrefix) {
    this.object = object;
    this.file = file;
    this.lineNumber = lineNumber;
    this.fieldPrefix = fieldPrefix;
  }

  /** Parses strict JSON (no comments, unquoted names or trailing content) holding one object. */
  static JsonLine parse(String line, Path file, long lineNumber) throws DataFormatException {
    JsonElement element;
    try {
      JsonReader reader = new JsonReader(new StringReader(line));
      reader.setStrictness(Strictness.STRICT);
      element = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw DataFormatException.atLine(file, lineNumber, "content after the JSON value");
      }
    } catch (JsonParseException | IOException e) {
      throw DataFormatException.atLine(file, lineNumber, "invalid JSON: " + e.getMessage(), e);
    }
    if (!element.isJsonObject()) {
      throw DataFormatException.atLine(file, lineNumber, "expected a JSON object, got " + element);
    }
    return new JsonLine(element.getAsJsonObject(), file, lineNumber, "");
  }

  String string(String field) throws DataFormatException {
    JsonElement value = required(field);
    if (!value.isJsonPrimitive() || value.getAsJsonPrimitive().isBoolean()) {
      throw problem("field '" + fieldPrefix + field + "' must be a string, got " + value);
    }
    return value.getAsString();
  }

  JsonArray array(String field) throws DataFormatException {
    JsonElement value = required(field);
    if (!value.isJsonArray()) {
      throw problem(
          "field '" + fieldPrefix + field + "' must be an array, got " + abbreviate(value));
    }
    return value.getAsJsonArray();
  }

  /**
   * The element at {@code index} of an array field, which must be an object; its field errors name
   * it as {@code arrayField[index].field}.
   */
  JsonLine object(String arrayField, JsonArray array, int index) throws DataFormatException {
    String name = fieldPrefix + arrayField + "[" + index + "]";
    JsonElement value = array.get(index);
    if (!value.isJsonObject()) {
      throw problem(name + " must be an object, got " + abbreviate(value));
    }
    return new JsonLine(value.getAsJsonObject(), file, lineNumber, name + ".");
  }

  int integer(String field) throws DataFormatException {
    JsonElement value = required(field);
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
      BigDecimal number = value.getAsBigDecimal();
      if (number.stripTrailingZeros().scale() <= 0
          && number.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
        return number.intValue();
      }
    }
    throw problem("field '" + fieldPrefix + field + "' must be an integer, got " + value);
  }

  double number(String field) throws DataFormatException {
    JsonElement value = required(field);
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw problem("field '" + fieldPrefix + field + "' must be a number, got " + value);
    }
    return value.getAsDouble();
  }

  DataFormatException problem(String message) {
    return DataFormatException.atLine(file, lineNumber, message);
  }

  private JsonElement required(String field) throws DataFormatException {
    JsonElement value = object.get(field);
    if (value == null || value.isJsonNull()) {
      throw problem("missing field '" + fieldPrefix + field + "'");
    }
    return value;
  }

  private static String abbreviate(JsonElement value) {
    String text = value.toString();
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
