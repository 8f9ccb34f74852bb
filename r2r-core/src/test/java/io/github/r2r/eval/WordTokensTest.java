package io.github.r2r.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordTokensTest {
  @Test
  void lettersDigitsAndCombiningMarksFormWords() {
    assertEquals(
        List.of("flea", "s", "life", "cycle", "20", "25", "days", "naïve", "cafe\u0301", "猫は動物です"),
        WordTokens.of("Flea's LIFE-cycle: 20–25 days 😀 Naïve Cafe\u0301, 猫は動物です。"));
  }

  @Test
  void textWithoutWordsHasNoTokens() {
    assertEquals(List.of(), WordTokens.of(" ... 😀 "));
  }

  @Test
  void nullIsRejected() {
    assertEquals(
        "text to tokenize is null",
        assertThrows(IllegalArgumentException.class, () -> WordTokens.of(null)).getMessage());
  }
}
