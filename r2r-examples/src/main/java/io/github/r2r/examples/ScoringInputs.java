package io.github.r2r.examples;

import io.github.r2r.LongDocumentStrategy;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import io.github.r2r.text.TokenizedText;
import java.util.ArrayList;
import java.util.List;

/**
 * The model inputs the {@link io.github.r2r.Reranker} builds for one query and its documents (same
 * prefixes, windows and length limit, default {@link LongDocumentStrategy}), so that the benchmark's
 * other contestants encode exactly what the Reranker encodes.
 *
 * @param query the query sequence of a bi-encoder, or null for a cross-encoder
 * @param windows every document window, in document order
 * @param owners {@code owners[i]} is the document of {@code windows.get(i)}
 */
record ScoringInputs(InputSequence query, List<InputSequence> windows, int[] owners) {
  static ScoringInputs of(RankingModel model, String query, List<String> documents) {
    ModelConfig config = model.config();
    TextTokenizer tokenizer = model.tokenizer();
    SequenceBuilder builder = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), config.maxLength());
    LongDocumentStrategy windowing = LongDocumentStrategy.defaults();
    List<InputSequence> windows = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    boolean cross = config.scoring() == ScoringMode.CROSS_ENCODER;
    TokenizedText queryTokens = tokenizer.tokenize(config.queryPrefix() + query);
    TokenizedText passagePrefix = tokenizer.tokenize(config.passagePrefix());
    for (int d = 0; d < documents.size(); d++) {
      List<InputSequence> docWindows =
          cross
              ? builder.pairWindows(
                  queryTokens,
                  tokenizer.tokenize(config.passagePrefix() + documents.get(d)),
                  windowing.windowTokens(),
                  windowing.strideTokens(),
                  windowing.maxWindows())
              : builder.singleWindows(
                  passagePrefix,
                  tokenizer.tokenize(documents.get(d)),
                  windowing.windowTokens(),
                  windowing.strideTokens(),
                  windowing.maxWindows());
      for (InputSequence window : docWindows) {
        windows.add(window);
        owners.add(d);
      }
    }
    return new ScoringInputs(
        cross ? null : builder.single(queryTokens),
        windows,
        owners.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Every sequence the model runs on: the query (bi-encoders) and the windows. */
  List<InputSequence> allSequences() {
    List<InputSequence> all = new ArrayList<>(windows);
    if (query != null) {
      all.add(query);
    }
    return all;
  }

  /** Per document, the best of its windows' scores (MaxP), as the Reranker scores long documents. */
  float[] maxPerDocument(float[] windowScores, int documents) {
    float[] scores = new float[documents];
    java.util.Arrays.fill(scores, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < windowScores.length; i++) {
      scores[owners[i]] = Math.max(scores[owners[i]], windowScores[i]);
    }
    return scores;
  }

  /** Window scores of a bi-encoder: dot products of the query embedding with each window's. */
  static float[] dots(float[] query, float[][] windows) {
    float[] out = new float[windows.length];
    for (int w = 0; w < windows.length; w++) {
      float sum = 0;
      for (int k = 0; k < query.length; k++) {
        sum += query[k] * windows[w][k];
      }
      out[w] = sum;
    }
    return out;
  }
}
