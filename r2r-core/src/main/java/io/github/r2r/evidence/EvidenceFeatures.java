package io.github.r2r.evidence;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.SequenceRunner;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.Sentence;
import io.github.r2r.text.SentenceSplitter;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import io.github.r2r.text.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the {@link EvidenceHead} reads about the candidate sentences of a query's documents, computed
 * by a bi-encoder: the query embedding; per candidate sentence ({@link AnswerSentences}) the cosine
 * between the query and the sentence encoded on its own (the zero-shot evidence score), and the mean
 * of the document's last-layer token states over the sentence's characters (the sentence read in the
 * context of its document).
 *
 * <p>The Reranker and the head's trainer both compute features here, so the head is trained on
 * exactly what it is later given. A document is encoded whole, in consecutive windows that do not
 * overlap, so each token has one state; a sentence's tokens are those whose character span overlaps
 * the sentence's.
 */
public final class EvidenceFeatures {
  /**
   * One document's candidate sentences, with the features of each, in document order.
   *
   * @param sentences the candidate sentences ({@link AnswerSentences})
   * @param sentenceCosines per sentence, the cosine of the query and the sentence encoded on its own
   *     (of its best window when it is longer than one)
   * @param spanStates per sentence, the mean of the document's token states over it [hidden]; zeros
   *     when no token overlaps it
   */
  public record Candidates(List<Sentence> sentences, float[] sentenceCosines, float[][] spanStates) {
    /**
     * Checks that the three lists have one entry per sentence.
     *
     * @param sentences the candidate sentences
     * @param sentenceCosines one cosine per sentence
     * @param spanStates one span state per sentence
     * @throws IllegalArgumentException if the lengths differ
     */
    public Candidates {
      checkArgument(
          sentences.size() == sentenceCosines.length && sentences.size() == spanStates.length,
          "%s sentences, %s cosines, %s span states",
          sentences.size(), sentenceCosines.length, spanStates.length);
    }
  }

  /**
   * The features of one query: its normalised embedding and each document's candidates, in input order.
   *
   * @param query the query's embedding, of unit length [hidden]
   * @param documents per document, in input order, its candidates and their features
   */
  public record ForQuery(float[] query, List<Candidates> documents) {}

  private final RankingModel model;
  private final SentenceSplitter splitter;
  private final SequenceBuilder sequences;
  private final TokenizedText passagePrefix;
  private final int windowTokens;

  /**
   * Features computed by {@code model}, over the sentences {@code splitter} finds.
   *
   * @param model a bi-encoder; not owned
   * @param splitter splits documents into sentences
   * @param maxLength the longest sequence encoded, special tokens and the passage prefix included
   * @throws NullPointerException if {@code model} or {@code splitter} is null
   * @throws IllegalArgumentException if {@code model} is not a bi-encoder, or {@code maxLength} leaves no
   *     room for text after {@code [CLS]}, {@code [SEP]} and the passage prefix
   */
  public EvidenceFeatures(RankingModel model, SentenceSplitter splitter, int maxLength) {
    this.model = checkNotNull(model, "model");
    this.splitter = checkNotNull(splitter, "splitter");
    checkArgument(
        model.config().scoring() == ScoringMode.BI_ENCODER,
        "evidence features need a bi-encoder (a query embedding); model '%s' is a %s",
        model.config().name(), model.config().scoring());
    TextTokenizer tokenizer = model.tokenizer();
    this.sequences = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), maxLength);
    this.passagePrefix = tokenizer.tokenize(model.config().passagePrefix());
    this.windowTokens = maxLength - 2 - passagePrefix.length();
    checkArgument(windowTokens > 0, "maxLength %s leaves no room after the passage prefix", maxLength);
  }

  /**
   * Computes the features of every candidate sentence of {@code texts} for {@code query}.
   *
   * @param query the query, non-blank
   * @param texts the documents' texts, non-blank
   * @param runner runs the encoder over the sentence and document sequences (the caller's batching)
   * @return the query's embedding and, per document in input order, its candidates' features
   * @throws IllegalArgumentException if {@code query} or a text is null or blank
   */
  public ForQuery compute(String query, List<String> texts, SequenceRunner runner) {
    checkArgument(query != null && !query.isBlank(), "query is null or blank");
    TextTokenizer tokenizer = model.tokenizer();
    float[] queryEmbedding =
        model.embed(List.of(sequences.single(tokenizer.tokenize(model.config().queryPrefix() + query))))[0];
    List<List<Sentence>> candidates = new ArrayList<>(texts.size());
    List<InputSequence> sentenceWindows = new ArrayList<>();
    List<int[]> sentenceOwner = new ArrayList<>(); // {document, candidate}
    List<TokenizedText> documentTokens = new ArrayList<>(texts.size());
    List<InputSequence> documentWindows = new ArrayList<>();
    List<int[]> windowOwner = new ArrayList<>(); // {document, first token}
    for (int d = 0; d < texts.size(); d++) {
      String text = texts.get(d);
      checkArgument(text != null && !text.isBlank(), "document %s has no text", d);
      List<Sentence> sentences = AnswerSentences.candidates(splitter.split(text));
      candidates.add(sentences);
      for (int s = 0; s < sentences.size(); s++) {
        for (InputSequence w : windows(tokenizer.tokenize(sentences.get(s).text()))) {
          sentenceWindows.add(w);
          sentenceOwner.add(new int[] {d, s});
        }
      }
      TokenizedText tokens = tokenizer.tokenize(text);
      documentTokens.add(tokens);
      List<InputSequence> windows = windows(tokens);
      for (int w = 0; w < windows.size(); w++) {
        documentWindows.add(windows.get(w));
        windowOwner.add(new int[] {d, w * windowTokens});
      }
    }
    // Sentences and documents in separate calls: in one, the short sentences would be padded to the
    // documents' length in shared batches (measured slower, docs/explanations.md).
    List<float[]> sentenceEmbeddings = runner.run(sentenceWindows, batch -> Arrays.asList(model.embed(batch)));
    List<float[][]> states = new ArrayList<>(documentWindows.size());
    for (RankingModel.Encoded e : runner.run(documentWindows, model::encode)) {
      states.add(e.tokenStates());
    }

    int dim = model.config().encoder().hiddenSize();
    List<float[]> cosines = new ArrayList<>();
    List<float[][]> spanSums = new ArrayList<>();
    List<int[]> spanCounts = new ArrayList<>();
    for (List<Sentence> sentences : candidates) {
      float[] best = new float[sentences.size()];
      Arrays.fill(best, Float.NEGATIVE_INFINITY);
      cosines.add(best);
      spanSums.add(new float[sentences.size()][dim]);
      spanCounts.add(new int[sentences.size()]);
    }
    for (int i = 0; i < sentenceWindows.size(); i++) {
      int[] owner = sentenceOwner.get(i);
      float[] best = cosines.get(owner[0]);
      // A sentence longer than a window is scored by its best window, as documents are (MaxP).
      best[owner[1]] = Math.max(best[owner[1]], dot(queryEmbedding, sentenceEmbeddings.get(i)));
    }
    int offset = 1 + passagePrefix.length(); // [CLS] and the prefix come before the window's tokens
    for (int w = 0; w < documentWindows.size(); w++) {
      int d = windowOwner.get(w)[0];
      int first = windowOwner.get(w)[1];
      TokenizedText tokens = documentTokens.get(d);
      int last = Math.min(tokens.length(), first + windowTokens);
      List<Sentence> sentences = candidates.get(d);
      for (int t = first; t < last; t++) {
        for (int s = 0; s < sentences.size(); s++) {
          Sentence sentence = sentences.get(s);
          if (overlaps(tokens, t, sentence)) {
            add(spanSums.get(d)[s], states.get(w)[offset + t - first]);
            spanCounts.get(d)[s]++;
          }
        }
      }
    }
    List<Candidates> out = new ArrayList<>(texts.size());
    for (int d = 0; d < texts.size(); d++) {
      float[][] sums = spanSums.get(d);
      int[] counts = spanCounts.get(d);
      for (int s = 0; s < sums.length; s++) {
        // A sentence of characters the tokenizer drops has no tokens: its span state stays zero.
        for (int k = 0; counts[s] > 0 && k < dim; k++) {
          sums[s][k] /= counts[s];
        }
      }
      out.add(new Candidates(List.copyOf(candidates.get(d)), cosines.get(d), sums));
    }
    return new ForQuery(queryEmbedding, out);
  }

  /**
   * Whether token {@code t} belongs to {@code sentence}: its characters overlap the sentence's. A
   * token without characters (-1 offsets) belongs to none.
   *
   * @param tokens the document's tokens
   * @param t the token's index
   * @param sentence a sentence of the same document
   * @return true when the token's character span overlaps the sentence's
   */
  public static boolean overlaps(TokenizedText tokens, int t, Sentence sentence) {
    return tokens.start(t) >= 0 && tokens.start(t) < sentence.end() && tokens.end(t) > sentence.start();
  }

  /** Consecutive, non-overlapping windows covering every token ({@code [CLS] prefix window [SEP]}). */
  private List<InputSequence> windows(TokenizedText tokens) {
    return sequences.singleWindows(passagePrefix, tokens, windowTokens, windowTokens, Integer.MAX_VALUE);
  }

  private static void add(float[] sum, float[] state) {
    for (int k = 0; k < sum.length; k++) {
      sum[k] += state[k];
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
