package io.github.r2r.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TokenizerVocabularyTest {
  private static OptionalInt size(String json) {
    return TokenizerVocabulary.size(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void largestIdOfTheVocabularyOrTheAddedTokensPlusOne() {
    // WordPiece, BPE and WordLevel: token -> id.
    assertEquals(OptionalInt.of(3), size("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0, \"b\": 2, \"c\": 1}}}"));
    // An added token beyond the vocabulary counts.
    assertEquals(OptionalInt.of(8), size("{\"added_tokens\": [{\"id\": 7, \"content\": \"[X]\"}],"
        + " \"model\": {\"vocab\": {\"a\": 0, \"b\": 1}}}"));
    // Unigram: [token, score] pairs in id order.
    assertEquals(OptionalInt.of(2), size("{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", -1.0], [\"b\", -2.0]]}}"));
  }

  @Test
  void aLayoutNotReadHereIsUnknown() {
    assertEquals(OptionalInt.empty(), size("{\"model\": {\"type\": \"Other\"}}"));
    assertEquals(OptionalInt.empty(), size("{\"model\": {\"vocab\": \"elsewhere.txt\"}}"));
  }
}
