package io.github.r2r.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import io.github.r2r.model.BundledModel;
import io.github.r2r.model.RankingModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TextTokenizerTest {
  private static RankingModel model;

  @BeforeAll
  static void load() throws Exception {
    model = BundledModel.load(Device.cpu());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** Spans are Java char offsets even after characters that take two chars (the native side counts code points). */
  @Test
  void tokenSpansAreTheTokensTextAfterEmojiToo() {
    String text = "\uD83D\uDE00\uD83D\uDE00 hello w\uD835\uDC00rld caf\u00E9";
    TokenizedText tokens = model.tokenizer().tokenize(text);
    List<String> spans = new ArrayList<>();
    for (int i = 0; i < tokens.length(); i++) {
      spans.add(text.substring(tokens.start(i), tokens.end(i)));
    }
    assertEquals("hello", spans.get(1));
    assertEquals(text.length(), tokens.end(tokens.length() - 1));
    assertEquals("caf\u00E9", spans.get(spans.size() - 1));
  }
}
