package io.github.r2r;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import java.util.Map;

/**
 * A document to rerank: an id unique within one call, its text, and optional metadata that r2r
 * carries through untouched.
 *
 * @param id the caller's id, non-empty and unique within one call; the ranking reports it back
 * @param text the text to score (non-blank when ranked)
 * @param metadata the caller's data, copied; no null keys or values (null means none)
 */
public record Document(String id, String text, Map<String, String> metadata) {
  /**
   * Checks the id and text, and copies the metadata.
   *
   * @param id the caller's id
   * @param text the text to score; blank is accepted here, but rejected by a {@link Reranker}
   * @param metadata the caller's data, or null for none
   * @throws IllegalArgumentException if {@code id} or {@code text} is null, or {@code metadata} has a
   *     null key or value
   */
  public Document {
    checkArgument(id != null, "document id is null");
    // An empty id cannot be told apart in a TREC run file or a log line, so it is refused here
    // rather than found later as a missing or shifted column.
    checkArgument(!id.isEmpty(), "document id is empty");
    checkArgument(text != null, "text of document '%s' is null", id);
    if (metadata == null) {
      metadata = ImmutableMap.of();
    } else {
      for (Map.Entry<String, String> entry : metadata.entrySet()) {
        checkArgument(entry.getKey() != null, "metadata of document '%s' has a null key", id);
        checkArgument(
            entry.getValue() != null, "metadata of document '%s' has a null value for '%s'", id, entry.getKey());
      }
      metadata = ImmutableMap.copyOf(metadata);
    }
  }

  /**
   * A document without metadata.
   *
   * @param id the caller's id, unique within one call
   * @param text the text to score
   * @return the document
   * @throws IllegalArgumentException if {@code id} or {@code text} is null
   */
  public static Document of(String id, String text) {
    return new Document(id, text, ImmutableMap.of());
  }
}
