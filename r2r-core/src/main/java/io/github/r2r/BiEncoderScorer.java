package io.github.r2r;

import io.github.r2r.model.RankingModel;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import io.github.r2r.text.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cosine of pooled, normalised embeddings of the query and of each document window (each with the
 * model's prefix); a document's score is its best window. Document embeddings may come from an
 * {@link EmbeddingCache}, so a repeated document costs nothing after its first encoding.
 */
final class BiEncoderScorer implements DocumentScorer {
  private final RankingModel model;
  private final SequenceBuilder sequences;
  private final LongDocumentStrategy windows;
  private final LengthSortedBatches batches;
  private final EmbeddingCache cache;
  private final TokenizedText passagePrefix;
  private final String windowing;
  private final QueryFeedback feedback;

  BiEncoderScorer(
      RankingModel model,
      int maxLength,
      LongDocumentStrategy windows,
      LengthSortedBatches batches,
      EmbeddingCache cache,
      QueryFeedback feedback) {
    this.model = model;
    TextTokenizer tokenizer = model.tokenizer();
    this.sequences = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), maxLength);
    this.windows = windows;
    this.batches = batches;
    this.cache = cache;
    this.passagePrefix = tokenizer.tokenize(model.config().passagePrefix());
    this.windowing = maxLength + "/" + windows;
    this.feedback = feedback;
  }

  @Override
  public float[] score(String query, List<Document> documents) {
    TextTokenizer tokenizer = model.tokenizer();
    float[] queryEmbedding =
        model.embed(List.of(sequences.single(tokenizer.tokenize(model.config().queryPrefix() + query))))[0];
    float[][][] docEmbeddings = documentEmbeddings(documents);
    int[] bestWindow = new int[documents.size()];
    float[] scores = scoreAgainst(queryEmbedding, docEmbeddings, bestWindow);
    if (!feedback.enabled() || documents.size() <= feedback.topDocuments()) {
      return scores;
    }
    float[] moved = queryEmbedding.clone();
    Integer[] order = new Integer[documents.size()];
    for (int d = 0; d < order.length; d++) {
      order[d] = d;
    }
    // Best first; equal scores keep input order, as in Ranking.
    Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
    float share = feedback.weight() / feedback.topDocuments();
    for (int t = 0; t < feedback.topDocuments(); t++) {
      float[] top = docEmbeddings[order[t]][bestWindow[order[t]]];
      for (int i = 0; i < moved.length; i++) {
        moved[i] += share * top[i];
      }
    }
    normalize(moved);
    return scoreAgainst(moved, docEmbeddings, bestWindow);
  }

  /** Each document's best window score (MaxP); {@code bestWindow} receives which window it was. */
  private static float[] scoreAgainst(float[] query, float[][][] docEmbeddings, int[] bestWindow) {
    float[] scores = new float[docEmbeddings.length];
    for (int d = 0; d < docEmbeddings.length; d++) {
      float best = Float.NEGATIVE_INFINITY;
      for (int w = 0; w < docEmbeddings[d].length; w++) {
        float score = dot(query, docEmbeddings[d][w]);
        if (score > best) {
          best = score;
          bestWindow[d] = w;
        }
      }
      scores[d] = best;
    }
    return scores;
  }

  private static void normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    float inverse = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inverse;
    }
  }

  /** Per document, the embedding of each of its windows. */
  private float[][][] documentEmbeddings(List<Document> documents) {
    String modelName = model.config().name();
    float[][][] out = new float[documents.size()][][];
    List<InputSequence> missing = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    List<Integer> missingDocs = new ArrayList<>();
    for (int d = 0; d < documents.size(); d++) {
      Document doc = documents.get(d);
      out[d] = cache == null ? null : cache.get(modelName, windowing, doc);
      if (out[d] == null) {
        missingDocs.add(d);
        for (InputSequence s :
            sequences.singleWindows(
                passagePrefix,
                model.tokenizer().tokenize(doc.text()),
                windows.windowTokens(),
                windows.strideTokens(),
                windows.maxWindows())) {
          missing.add(s);
          owners.add(d);
        }
      }
    }
    if (missing.isEmpty()) {
      return out;
    }
    List<float[]> embedded =
        batches.run(missing, batch -> Arrays.asList(model.embed(batch)));
    List<List<float[]>> perDoc = new ArrayList<>();
    for (int d = 0; d < documents.size(); d++) {
      perDoc.add(new ArrayList<>());
    }
    for (int i = 0; i < missing.size(); i++) {
      perDoc.get(owners.get(i)).add(embedded.get(i));
    }
    for (int d : missingDocs) {
      out[d] = perDoc.get(d).toArray(new float[0][]);
      if (cache != null) {
        cache.put(modelName, windowing, documents.get(d), out[d]);
      }
    }
    return out;
  }

  private static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
