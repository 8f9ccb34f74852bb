package io.github.r2r.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonPrimitive;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {
  @Test
  void aMissingFieldIsNamedLikeAnyOtherWrongType() {
    // JsonObject.get of a missing key is a Java null: refused with the documented exception, not an NPE.
    assertEquals("field 'layers' must be a whole number up to 2147483647, got nothing (the field is missing)",
        assertThrows(IllegalArgumentException.class, () -> JsonFields.integer("layers", null)).getMessage());
    assertEquals("field 'eps' must be a number, got nothing (the field is missing)",
        assertThrows(IllegalArgumentException.class, () -> JsonFields.number("eps", null)).getMessage());
    assertEquals("field 'name' must be a string, got nothing (the field is missing)",
        assertThrows(IllegalArgumentException.class, () -> JsonFields.string("name", null)).getMessage());
    assertEquals(32, JsonFields.integer("layers", new JsonPrimitive(32)));
  }
}
