package io.github.r2r.text;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * How many ids a {@code tokenizer.json} can produce: one more than the largest id of its model's
 * vocabulary and its added tokens. DJL's tokenizer does not say, and a model whose embedding table is
 * smaller fails only when a text first holds a token beyond it, inside the engine ("index out of range
 * in self"). Read by streaming through the file, which for a large vocabulary is much cheaper than
 * building its tree.
 */
final class TokenizerVocabulary {
  private TokenizerVocabulary() {}

  /**
   * The id count of a tokenizer file the native tokenizer has accepted; empty when its vocabulary is laid
   * out in a way not read here (it then goes unchecked).
   */
  static OptionalInt size(byte[] tokenizerJson) {
    try (JsonReader reader =
        new JsonReader(new InputStreamReader(new ByteArrayInputStream(tokenizerJson), StandardCharsets.UTF_8))) {
      long largest = -1;
      boolean sawVocabulary = false;
      reader.beginObject();
      while (reader.hasNext()) {
        String name = reader.nextName();
        if (name.equals("model") && reader.peek() == JsonToken.BEGIN_OBJECT) {
          reader.beginObject();
          while (reader.hasNext()) {
            if (reader.nextName().equals("vocab")) {
              largest = Math.max(largest, largestVocabularyId(reader));
              sawVocabulary = true;
            } else {
              reader.skipValue();
            }
          }
          reader.endObject();
        } else if (name.equals("added_tokens") && reader.peek() == JsonToken.BEGIN_ARRAY) {
          largest = Math.max(largest, largestAddedId(reader));
        } else {
          reader.skipValue();
        }
      }
      return sawVocabulary && largest < Integer.MAX_VALUE ? OptionalInt.of((int) largest + 1) : OptionalInt.empty();
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** WordPiece, BPE and WordLevel map each token to its id; Unigram lists [token, score] pairs in id order. */
  private static long largestVocabularyId(JsonReader reader) throws IOException {
    long largest = -1;
    if (reader.peek() == JsonToken.BEGIN_OBJECT) {
      reader.beginObject();
      while (reader.hasNext()) {
        reader.nextName();
        largest = Math.max(largest, reader.nextLong());
      }
      reader.endObject();
    } else {
      reader.beginArray();
      while (reader.hasNext()) {
        reader.skipValue();
        largest++;
      }
      reader.endArray();
    }
    return largest;
  }

  private static long largestAddedId(JsonReader reader) throws IOException {
    long largest = -1;
    reader.beginArray();
    while (reader.hasNext()) {
      reader.beginObject();
      while (reader.hasNext()) {
        if (reader.nextName().equals("id")) {
          largest = Math.max(largest, reader.nextLong());
        } else {
          reader.skipValue();
        }
      }
      reader.endObject();
    }
    reader.endArray();
    return largest;
  }
}
