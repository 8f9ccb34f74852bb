package io.github.r2r;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.Hashing;

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
    // The text's own UTF-16 units, not an encoding of them: UTF-8 writes every unpaired surrogate as
    // '?', which made "pets ?" and "pets \uD83D" (half an emoji) one key, though they embed differently.
    String hash = Hashing.sha256().hashUnencodedChars(document.text()).toString();
    return new Key(model, windowing, document.id(), hash);
  }
}
