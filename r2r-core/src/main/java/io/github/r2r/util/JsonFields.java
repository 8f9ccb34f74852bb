package io.github.r2r.util;

import com.google.gson.JsonElement;
import java.math.BigDecimal;

/**
 * Fields of a JSON config file ({@code config.json}, {@code reasons.json}) read as the type they must
 * have, a refusal naming the field and the value found. Gson's own accessors read what a config never
 * means ({@code 32.7} as 32, {@code 4294967297} as 1, {@code [32]} as 32, {@code "32"} as 32) and refuse
 * the rest with messages that name no field ({@code For input string: "abc"}) or with an {@link
 * UnsupportedOperationException} ({@code null}, an object).
 */
public final class JsonFields {
  private JsonFields() {}

  /**
   * A JSON number without a fraction that fits an int ({@code 32}, {@code 32.0} and {@code 1e3} do).
   *
   * @param key the field's name, for the message
   * @param value the field's value
   * @return the value as an int
   * @throws IllegalArgumentException if {@code value} is not such a number (a string, a fraction, out
   *     of the int range, ...)
   */
  public static int integer(String key, JsonElement value) {
    if (isNumber(value)) {
      BigDecimal exact = value.getAsJsonPrimitive().getAsBigDecimal();
      try {
        return exact.intValueExact();
      } catch (ArithmeticException e) {
        // a fraction or beyond the int range: refused below, with the value
      }
    }
    throw wrongType(key, "a whole number up to " + Integer.MAX_VALUE, value);
  }

  /**
   * A JSON number, as a double (a number beyond the double range reads as infinite).
   *
   * @param key the field's name, for the message
   * @param value the field's value
   * @return the value as a double
   * @throws IllegalArgumentException if {@code value} is not a JSON number
   */
  public static double number(String key, JsonElement value) {
    if (isNumber(value)) {
      return value.getAsDouble();
    }
    throw wrongType(key, "a number", value);
  }

  /**
   * A JSON string.
   *
   * @param key the field's name, for the message
   * @param value the field's value
   * @return the string
   * @throws IllegalArgumentException if {@code value} is not a JSON string
   */
  public static String string(String key, JsonElement value) {
    if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
      return value.getAsString();
    }
    throw wrongType(key, "a string", value);
  }

  private static boolean isNumber(JsonElement value) {
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber();
  }

  private static IllegalArgumentException wrongType(String key, String expected, JsonElement value) {
    // A Java null is a field the object does not have (JsonObject.get of a missing key).
    String found = value == null ? "nothing (the field is missing)" : value.toString();
    if (found.length() > 40) {
      found = found.substring(0, 40) + "...";
    }
    return new IllegalArgumentException("field '" + key + "' must be " + expected + ", got " + found);
  }
}
