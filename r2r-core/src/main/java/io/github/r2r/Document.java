package io.github.r2r;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import java.util.Map;

/**
 * A document to rerank: an id unique within one call, its text, and optional metadata that r2r
 * carries through untouched.
 */
public record Document(String id, String text, Map<String, String> metadata) {
  public Document {
    checkArgument(id != null, "document id is null");
    checkArgument(text != null, "text of document '%s' is null", id);
    metadata = metadata == null ? ImmutableMap.of() : ImmutableMap.copyOf(metadata);
  }

  public static Document of(String id, String text) {
    return new Document(id, text, ImmutableMap.of());
  }
}
