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
  /** Tokenisation tasks per worker: small enough that the workers finish together. */
  private static final int TOKENIZATION_CHUNKS_PER_WORKER = 4;

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
    String modelName = model.config().name();
    float[][][] docEmbeddings = new float[documents.size()][][];
    List<Integer> missingDocs = new ArrayList<>();
    for (int d = 0; d < documents.size(); d++) {
      docEmbeddings[d] = cache == null ? null : cache.get(modelName, windowing, documents.get(d));
      if (docEmbeddings[d] == null) {
        missingDocs.add(d);
      }
    }
    // The query's forward and the tokenisation of the documents run side by side on the workers:
    // both must finish before the first batch of documents can start (batches are sorted by
    // length), and one after the other they left the other workers idle for ~3 % of a DL19 query.
    TextTokenizer tokenizer = model.tokenizer();
    float[][] queryEmbedding = new float[1][];
    TokenizedText[] tokenized = new TokenizedText[documents.size()];
    int chunks = Math.min(missingDocs.size(), TOKENIZATION_CHUNKS_PER_WORKER * batches.workers().workers());
    batches.workers().run(1 + chunks, task -> {
      if (task == 0) {
        queryEmbedding[0] =
            model.embed(List.of(sequences.single(tokenizer.tokenize(model.config().queryPrefix() + query))))[0];
      } else {
        for (int k = task - 1; k < missingDocs.size(); k += chunks) {
          int d = missingDocs.get(k);
          tokenized[d] = tokenizer.tokenize(documents.get(d).text());
        }
      }
    });
    embedMissing(documents, missingDocs, tokenized, docEmbeddings);
    return scoresWithFeedback(queryEmbedding[0], docEmbeddings);
  }

  /** Scores against the query, moved towards its top documents when query feedback is on. */
  private float[] scoresWithFeedback(float[] queryEmbedding, float[][][] docEmbeddings) {
    int[] bestWindow = new int[docEmbeddings.length];
    float[] scores = scoreAgainst(queryEmbedding, docEmbeddings, bestWindow);
    if (!feedback.enabled() || docEmbeddings.length <= feedback.topDocuments()) {
      return scores;
    }
    float[] moved = queryEmbedding.clone();
    Integer[] order = new Integer[docEmbeddings.length];
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

  /**
   * Fills {@code out[d]} with the embedding of each window of every document {@code d} in {@code
   * missingDocs}, from its tokens {@code tokenized[d]}, and caches them.
   */
  private void embedMissing(
      List<Document> documents, List<Integer> missingDocs, TokenizedText[] tokenized, float[][][] out) {
    List<InputSequence> missing = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int d : missingDocs) {
      for (InputSequence s :
          sequences.singleWindows(
              passagePrefix, tokenized[d], windows.windowTokens(), windows.strideTokens(), windows.maxWindows())) {
        missing.add(s);
        owners.add(d);
      }
    }
    if (missing.isEmpty()) {
      return;
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
        cache.put(model.config().name(), windowing, documents.get(d), out[d]);
      }
    }
  }

  private static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
