package io.github.r2r;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/**
 * Document embeddings kept in memory, bounded by entry count (least recently used evicted), keyed by
 * (model, windowing, document id, hash of the text): a changed text under the same id is a miss, never
 * a stale hit. Thread-safe.
 */
final class EmbeddingCache {
  private record Key(String model, String windowing, String documentId, String textHash) {}

  private final Cache<Key, float[][]> cache;

  EmbeddingCache(long maxDocuments) {
    this.cache = CacheBuilder.newBuilder().maximumSize(maxDocuments).recordStats().build();
  }

  float[][] get(String model, String windowing, Document document) {
    return cache.getIfPresent(key(model, windowing, document));
  }

  void put(String model, String windowing, Document document, float[][] windowEmbeddings) {
    cache.put(key(model, windowing, document), windowEmbeddings);
  }

  long hits() {
    return cache.stats().hitCount();
  }

  long size() {
    return cache.size();
  }

  private static Key key(String model, String windowing, Document document) {
    String hash = Hashing.sha256().hashString(document.text(), StandardCharsets.UTF_8).toString();
    return new Key(model, windowing, document.id(), hash);
  }
}
