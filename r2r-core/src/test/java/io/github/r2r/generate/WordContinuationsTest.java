package io.github.r2r.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.model.RankingModel;
import io.github.r2r.text.TextTokenizer;
import io.github.r2r.text.TokenizedText;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WordContinuationsTest {
  private static RankingModel encoder;
  private static Set<Long> continuations;

  @BeforeAll
  static void load() throws Exception {
    encoder = ReasonDecoderProperties.tinyEncoder(5);
    continuations = encoder.tokenizer().wordContinuations(ReasonDecoderProperties.TINY.vocabSize());
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  private static long[] ids(String text) {
    TokenizedText tokens = encoder.tokenizer().tokenize(text);
    return tokens.ids(0, tokens.length());
  }

  @Test
  void specialTokensAreNoWordsSoTheEndTokenIsNeverRefusedAsTheWordSep() {
    // Read as text, [SEP] was "sep": after "sep" twice (a SEP IRA) the word limit refused the end token.
    TextTokenizer tokenizer = encoder.tokenizer();
    VocabularyWords words = new VocabularyWords(tokenizer.pieces(ReasonDecoderProperties.TINY.vocabSize()));
    long sep = ids("sep")[0];
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {sep}, words.oneTokenSpellings("sep"));
    org.junit.jupiter.api.Assertions.assertEquals("", words.text(tokenizer.sepId()));
    org.junit.jupiter.api.Assertions.assertEquals("", words.text(tokenizer.clsId()));
  }

  @Test
  void theVocabularyReadAsWordsFindsTheSameContinuingPiecesAsTheTokenizer() {
    // ReasonModel takes its continuations from VocabularyWords (one pass over the vocabulary for all word rules).
    VocabularyWords words = new VocabularyWords(encoder.tokenizer().pieces(ReasonDecoderProperties.TINY.vocabSize()));
    org.junit.jupiter.api.Assertions.assertEquals(continuations, words.continuations());
    org.junit.jupiter.api.Assertions.assertFalse(continuations.isEmpty());
  }

  @Test
  void theVocabularysContinuingPiecesAreFound() {
    TextTokenizer tokenizer = encoder.tokenizer();
    // "determinants" is split by this vocabulary; its later pieces continue the word, its first does not.
    long[] word = ids("determinants");
    assertTrue(word.length > 1, "the test needs a word this vocabulary splits: " + Arrays.toString(word));
    assertFalse(continuations.contains(word[0]));
    for (int i = 1; i < word.length; i++) {
      assertTrue(continuations.contains(word[i]), tokenizer.decode(new long[] {word[i]}));
    }
    for (long whole : ids("the social health of a city")) {
      assertFalse(continuations.contains(whole), "whole word " + tokenizer.decode(new long[] {whole}));
    }
    // BERT's uncased vocabulary has about 5,800 "##" pieces out of 30,522.
    assertTrue(continuations.size() > 5000 && continuations.size() < 7000, "found " + continuations.size());
  }

  @Test
  void aPieceOfTheInputMayOnlyFollowWhatItFollowsThere() {
    long[] input = ids("social determinants of health");
    long[] word = ids("determinants");
    long social = input[0];
    long tail = word[word.length - 1];
    long head = word[word.length - 2];
    WordContinuations rule = new WordContinuations(input, input.length, continuations);

    float[] afterSocial = new float[ReasonDecoderProperties.TINY.vocabSize()];
    rule.ban(social, afterSocial);
    assertEquals(Float.NEGATIVE_INFINITY, afterSocial[(int) tail], "no 'social' + tail of 'determinants'");
    float[] afterHead = new float[afterSocial.length];
    rule.ban(head, afterHead);
    assertEquals(0f, afterHead[(int) tail], "the tail may follow the piece it follows in the input");
    // Only pieces of the input are constrained, and only after tokens of the input.
    long[] banned = java.util.stream.IntStream.range(0, afterSocial.length)
        .filter(v -> afterSocial[v] == Float.NEGATIVE_INFINITY).mapToLong(v -> v).toArray();
    for (long b : banned) {
      assertTrue(Arrays.stream(input).anyMatch(id -> id == b) && continuations.contains(b),
          "banned " + encoder.tokenizer().decode(new long[] {b}) + " is not a continuing piece of the input");
    }
    float[] afterOther = new float[afterSocial.length];
    rule.ban(ids("zebra")[0], afterOther);
    assertTrue(java.util.stream.IntStream.range(0, afterOther.length).allMatch(v -> afterOther[v] == 0f),
        "after a token the input lacks nothing is banned");
  }

  @Test
  void aPieceThatNeverEndsAWordOfTheInputMustBeFinishedAsThere() {
    long[] input = ids("social determinants of health");
    long[] word = ids("determinants");
    WordContinuations rule = new WordContinuations(input, input.length, continuations);
    float[] afterHead = new float[ReasonDecoderProperties.TINY.vocabSize()];
    rule.ban(word[0], afterHead);
    for (int v = 0; v < afterHead.length; v++) {
      // "determin..." is always continued in the input: only its next piece there may follow
      assertEquals(v == word[1] ? 0f : Float.NEGATIVE_INFINITY, afterHead[v], encoder.tokenizer().decode(new long[] {v}));
    }
    // A token that ends a word somewhere in the input is not forced on: after "of" a new word may start.
    float[] afterOf = new float[afterHead.length];
    rule.ban(input[input.length - 2], afterOf);
    assertEquals(0f, afterOf[(int) ids("zebra")[0]]);
  }
}
