package io.github.r2r.text;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles BERT inputs from tokenized text: {@code [CLS] a [SEP]} for one text and
 * {@code [CLS] query [SEP] doc [SEP]} for a pair, cutting only the document, and splitting a
 * document longer than the budget into overlapping windows (MaxP) instead of dropping its tail.
 */
public final class SequenceBuilder {
  private final long clsId;
  private final long sepId;
  private final int maxLength;

  /**
   * A builder for one tokenizer's special tokens and one length budget.
   *
   * @param clsId the tokenizer's {@code [CLS]} id
   * @param sepId the tokenizer's {@code [SEP]} id
   * @param maxLength the longest sequence built, special tokens included; at least 8
   * @throws IllegalArgumentException if {@code maxLength} is less than 8
   */
  public SequenceBuilder(long clsId, long sepId, int maxLength) {
    checkArgument(maxLength >= 8, "maxLength must be at least 8 tokens, got %s", maxLength);
    this.clsId = clsId;
    this.sepId = sepId;
    this.maxLength = maxLength;
  }

  /** {@return the longest sequence built, special tokens included} */
  public int maxLength() {
    return maxLength;
  }

  /**
   * {@code [CLS] text [SEP]}, cut to the length budget (used for queries, which are short).
   *
   * @param text the tokens; those past {@code maxLength - 2} are dropped
   * @return the sequence, all token types 0
   */
  public InputSequence single(TokenizedText text) {
    int n = Math.min(text.length(), maxLength - 2);
    return single(text.ids(0, n));
  }

  private InputSequence single(long[] body) {
    long[] ids = new long[body.length + 2];
    ids[0] = clsId;
    System.arraycopy(body, 0, ids, 1, body.length);
    ids[ids.length - 1] = sepId;
    return new InputSequence(ids, new long[ids.length]);
  }

  /**
   * The windows a document is scored on, as single sequences ({@code [CLS] prefix window [SEP]}).
   *
   * @param prefix tokens repeated at the start of every window (e.g. e5's {@code passage: })
   * @param doc the document's tokens
   * @param windowTokens document tokens per window, capped by what fits in {@code maxLength}
   * @param windowStride tokens between the starts of consecutive windows
   * @param maxWindows at most this many windows; text past the last one is not scored
   * @return the windows in document order; one (without document tokens) for an empty document
   * @throws IllegalArgumentException if the prefix leaves no room for document tokens, or {@code
   *     windowTokens}, {@code windowStride} or {@code maxWindows} is less than 1
   */
  public List<InputSequence> singleWindows(
      TokenizedText prefix, TokenizedText doc, int windowTokens, int windowStride, int maxWindows) {
    int room = maxLength - 2 - prefix.length();
    checkArgument(room > 0, "prefix of %s tokens leaves no room in %s", prefix.length(), maxLength);
    int budget = Math.min(windowTokens, room);
    List<InputSequence> out = new ArrayList<>();
    for (int[] w : windows(doc.length(), budget, Math.min(windowStride, budget), maxWindows)) {
      out.add(single(concat(prefix.ids(0, prefix.length()), doc.ids(w[0], w[1]))));
    }
    return out;
  }

  /**
   * Windows of a document as {@code [CLS] query [SEP] window [SEP]} pairs. A query longer than half the
   * input is cut to half; the document windows get the rest.
   *
   * @param query the query's tokens
   * @param doc the document's tokens
   * @param windowTokens document tokens per window, capped by what fits next to the query
   * @param windowStride tokens between the starts of consecutive windows
   * @param maxWindows at most this many windows; text past the last one is not scored
   * @return the windows in document order, document tokens with token type 1; one (without document
   *     tokens) for an empty document
   * @throws IllegalArgumentException if {@code windowTokens}, {@code windowStride} or {@code
   *     maxWindows} is less than 1
   */
  public List<InputSequence> pairWindows(
      TokenizedText query, TokenizedText doc, int windowTokens, int windowStride, int maxWindows) {
    int queryLength = Math.min(query.length(), (maxLength - 3) / 2);
    int budget = Math.min(windowTokens, maxLength - 3 - queryLength);
    long[] queryIds = query.ids(0, queryLength);
    List<InputSequence> out = new ArrayList<>();
    for (int[] w : windows(doc.length(), budget, Math.min(windowStride, budget), maxWindows)) {
      long[] docIds = doc.ids(w[0], w[1]);
      int n = queryIds.length + docIds.length + 3;
      long[] ids = new long[n];
      long[] types = new long[n];
      ids[0] = clsId;
      System.arraycopy(queryIds, 0, ids, 1, queryIds.length);
      ids[queryIds.length + 1] = sepId;
      System.arraycopy(docIds, 0, ids, queryIds.length + 2, docIds.length);
      ids[n - 1] = sepId;
      for (int i = queryIds.length + 2; i < n; i++) {
        types[i] = 1;
      }
      out.add(new InputSequence(ids, types));
    }
    return out;
  }

  /** [start, end) token ranges covering {@code length} tokens; one empty window for an empty text. */
  static List<int[]> windows(int length, int budget, int stride, int maxWindows) {
    checkArgument(stride > 0 && stride <= budget, "window stride %s must be in [1, %s]", stride, budget);
    checkArgument(maxWindows > 0, "maxWindows must be positive, got %s", maxWindows);
    List<int[]> out = new ArrayList<>();
    int start = 0;
    while (true) {
      int end = Math.min(length, start + budget);
      out.add(new int[] {start, end});
      if (end >= length || out.size() == maxWindows) {
        return out;
      }
      start += stride;
    }
  }

  private static long[] concat(long[] a, long[] b) {
    long[] out = new long[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
