package io.github.r2r.generate;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A {@link TokenScorer} that lets each row write at most {@code limit} words absent from its input
 * ({@link DecodingOptions#maxUngroundedWords}) and then restricts it to what {@link GroundedWords}
 * allows. Rows are followed through {@link #select} to the input they belong to, as in {@link
 * DecoderScorer}, and each carries its own count.
 *
 * <p>A word counts once, when the first of its tokens that the input does not ground is written: a
 * word the decoder spells from its own vocabulary ("rele" + "##vant") is one word, and a word begun
 * within the limit may be finished after it.
 */
final class UngroundedWordLimit implements TokenScorer {
  private final TokenScorer scorer;
  private final GroundedWords[] inputs;
  private final int limit;
  private int[] rowInput;
  /** Per row, how many words absent from its input it has written. */
  private int[] used;
  /** Per row, whether its last token belongs to such a word. */
  private boolean[] inOwnWord;
  /** Whether {@link #next} has been called: the first tokens it is given are start tokens, not words. */
  private boolean started;

  /**
   * @param scorer the scorer whose rows this limits; it starts with one row per input, in order
   * @param inputs per input, what it grounds
   * @param limit the most ungrounded words per row, at least 0
   */
  UngroundedWordLimit(TokenScorer scorer, GroundedWords[] inputs, int limit) {
    checkArgument(limit >= 0, "limit must be at least 0, got %s", limit);
    this.scorer = scorer;
    this.inputs = inputs;
    this.limit = limit;
    this.rowInput = new int[inputs.length];
    for (int i = 0; i < rowInput.length; i++) {
      rowInput[i] = i;
    }
    this.used = new int[inputs.length];
    this.inOwnWord = new boolean[inputs.length];
  }

  @Override
  public float[][] next(long[] lastTokens) {
    float[][] rows = scorer.next(lastTokens);
    for (int r = 0; r < rows.length; r++) {
      GroundedWords words = inputs[rowInput[r]];
      if (started) {
        count(r, lastTokens[r], words);
      }
      if (used[r] >= limit) {
        words.restrict(lastTokens[r], rows[r], inOwnWord[r]);
      }
    }
    started = true;
    return rows;
  }

  /** Counts {@code token}, just written by row {@code r}, against the row's limit. */
  private void count(int r, long token, GroundedWords words) {
    if (inOwnWord[r] && words.continuesWord(token)) {
      return; // a further piece of a word already counted
    }
    inOwnWord[r] = !words.grounds(token);
    if (inOwnWord[r]) {
      used[r]++;
    }
  }

  @Override
  public void select(int[] rows) {
    int[] nextInput = new int[rows.length];
    int[] nextUsed = new int[rows.length];
    boolean[] nextInOwnWord = new boolean[rows.length];
    for (int i = 0; i < rows.length; i++) {
      nextInput[i] = rowInput[rows[i]];
      nextUsed[i] = used[rows[i]];
      nextInOwnWord[i] = inOwnWord[rows[i]];
    }
    rowInput = nextInput;
    used = nextUsed;
    inOwnWord = nextInOwnWord;
    scorer.select(rows);
  }
}
