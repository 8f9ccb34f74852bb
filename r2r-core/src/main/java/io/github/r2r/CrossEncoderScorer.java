package io.github.r2r;

import com.google.common.primitives.Floats;
import io.github.r2r.model.RankingModel;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import io.github.r2r.text.TokenizedText;
import java.util.ArrayList;
import java.util.List;

/** Scores {@code [CLS] query [SEP] window [SEP]} with the rank head; a document's score is its best window. */
final class CrossEncoderScorer implements DocumentScorer {
  private final RankingModel model;
  private final SequenceBuilder sequences;
  private final LongDocumentStrategy windows;
  private final LengthSortedBatches batches;

  CrossEncoderScorer(RankingModel model, int maxLength, LongDocumentStrategy windows, LengthSortedBatches batches) {
    this.model = model;
    TextTokenizer tokenizer = model.tokenizer();
    this.sequences = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), maxLength);
    this.windows = windows;
    this.batches = batches;
  }

  @Override
  public float[] score(String query, List<Document> documents) {
    TextTokenizer tokenizer = model.tokenizer();
    TokenizedText queryTokens = tokenizer.tokenize(model.config().queryPrefix() + query);
    List<InputSequence> all = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int d = 0; d < documents.size(); d++) {
      TokenizedText docTokens = tokenizer.tokenize(model.config().passagePrefix() + documents.get(d).text());
      for (InputSequence s :
          sequences.pairWindows(
              queryTokens, docTokens, windows.windowTokens(), windows.strideTokens(), windows.maxWindows())) {
        all.add(s);
        owners.add(d);
      }
    }
    List<Float> windowScores =
        batches.run(all, batch -> Floats.asList(model.crossScores(batch)));
    float[] scores = new float[documents.size()];
    java.util.Arrays.fill(scores, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < all.size(); i++) {
      int d = owners.get(i);
      scores[d] = Math.max(scores[d], windowScores.get(i));
    }
    return scores;
  }
}
