package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentTest {
  @Test
  void metadataIsCopiedAndCannotChangeAfterwards() {
    Map<String, String> metadata = new HashMap<>(Map.of("source", "wiki"));
    Document d = new Document("a", "text", metadata);
    metadata.put("source", "changed");
    assertEquals(Map.of("source", "wiki"), d.metadata());
    assertThrows(UnsupportedOperationException.class, () -> d.metadata().put("x", "y"));
    assertEquals(Map.of(), new Document("b", "text", null).metadata());
  }

  @Test
  void nullMetadataEntriesAreNamedWithTheDocument() {
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("source", null);
    assertEquals("metadata of document 'a' has a null value for 'source'",
        assertThrows(IllegalArgumentException.class, () -> new Document("a", "text", nullValue)).getMessage());
    Map<String, String> nullKey = new HashMap<>();
    nullKey.put(null, "wiki");
    assertEquals("metadata of document 'a' has a null key",
        assertThrows(IllegalArgumentException.class, () -> new Document("a", "text", nullKey)).getMessage());
  }

  @Test
  void nullOrEmptyIdsAreRefused() {
    assertEquals("document id is null",
        assertThrows(IllegalArgumentException.class, () -> Document.of(null, "text")).getMessage());
    assertEquals("document id is empty",
        assertThrows(IllegalArgumentException.class, () -> Document.of("", "text")).getMessage());
    assertEquals(" ", Document.of(" ", "text").id()); // any non-empty id is the caller's to choose
  }
}
