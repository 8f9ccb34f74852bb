package io.github.r2r.generate;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy and beam search over a {@link TokenScorer}. Both are deterministic: equal scores are broken by
 * the lower token id (and, in beam search, the earlier beam), never by chance. Start tokens are never
 * generated; the end token finishes a sequence and is not part of the result.
 */
public final class SequenceSearch {
  private SequenceSearch() {}

  /**
   * Greedy or beam search, as {@code options.beamSize()} says, for a scorer with one row.
   *
   * @param scorer the model, with one row
   * @param start the token decoding starts from; never generated
   * @param end the token that finishes a sequence
   * @param options beam size, token limit and bans
   * @return the generated tokens, without start and end token
   */
  public static long[] search(TokenScorer scorer, long start, long end, DecodingOptions options) {
    return search(scorer, new long[] {start}, end, new long[] {start}, options).get(0);
  }

  /**
   * Greedy or beam search for several independent inputs at once: the scorer starts with one row per
   * input, in order, and input {@code i} starts from {@code starts[i]}. Each input's result is what a
   * search over it alone would give; decoding them together only shares the model's passes.
   *
   * @param scorer the model, with one row per input
   * @param starts per input, the token decoding starts from
   * @param end the token that finishes a sequence
   * @param neverGenerated tokens no output may contain (the start tokens)
   * @param options beam size, token limit and bans
   * @return per input, in order, the generated tokens without start and end token
   * @throws IllegalArgumentException if {@code starts} is empty, or the scorer returns a wrong number
   *     of rows
   */
  public static List<long[]> search(
      TokenScorer scorer, long[] starts, long end, long[] neverGenerated, DecodingOptions options) {
    return options.beamSize() == 1
        ? greedy(scorer, starts, end, neverGenerated, options)
        : beam(scorer, starts, end, neverGenerated, options);
  }

  /**
   * The most likely token at every step, until the end token or {@code maxTokens}. When every token is
   * banned the sequence ends.
   *
   * @param scorer the model, with one row
   * @param start the token decoding starts from; never generated
   * @param end the token that finishes a sequence
   * @param options token limit and bans; the beam size is not read
   * @return the generated tokens, without start and end token
   */
  public static long[] greedy(TokenScorer scorer, long start, long end, DecodingOptions options) {
    return greedy(scorer, new long[] {start}, end, new long[] {start}, options).get(0);
  }

  /**
   * {@link #greedy(TokenScorer, long, long, DecodingOptions)} for several inputs; see {@link #search}.
   *
   * @param scorer the model, with one row per input
   * @param starts per input, the token decoding starts from
   * @param end the token that finishes a sequence
   * @param neverGenerated tokens no output may contain
   * @param options token limit and bans; the beam size is not read
   * @return per input, in order, the generated tokens without start and end token
   * @throws IllegalArgumentException if {@code starts} is empty, or the scorer returns a wrong number
   *     of rows
   */
  public static List<long[]> greedy(
      TokenScorer scorer, long[] starts, long end, long[] neverGenerated, DecodingOptions options) {
    checkArgument(starts.length >= 1, "need at least one input");
    List<List<Long>> sequences = new ArrayList<>();
    List<Integer> active = new ArrayList<>();
    for (int i = 0; i < starts.length; i++) {
      sequences.add(new ArrayList<>(List.of(starts[i])));
      active.add(i);
    }
    for (int t = 0; t < options.maxTokens() && !active.isEmpty(); t++) {
      long[] feed = active.stream().mapToLong(i -> last(sequences.get(i))).toArray();
      float[][] logProbs = scorer.next(feed);
      checkArgument(logProbs.length == active.size(), "scorer returned %s rows for %s inputs",
          logProbs.length, active.size());
      List<Integer> stillActive = new ArrayList<>();
      List<Integer> keepRows = new ArrayList<>();
      for (int r = 0; r < active.size(); r++) {
        List<Long> sequence = sequences.get(active.get(r));
        float[] row = logProbs[r].clone();
        ban(row, sequence, neverGenerated, options);
        int best = 0;
        for (int v = 1; v < row.length; v++) {
          if (row[v] > row[best]) {
            best = v;
          }
        }
        if (row[best] == Float.NEGATIVE_INFINITY) {
          best = (int) end; // every token is banned: end the sequence rather than emit a banned one
        }
        if (best != end) {
          sequence.add((long) best);
          stillActive.add(active.get(r));
          keepRows.add(r);
        }
      }
      if (keepRows.size() < active.size() && !keepRows.isEmpty()) {
        scorer.select(keepRows.stream().mapToInt(Integer::intValue).toArray());
      }
      active.clear();
      active.addAll(stillActive);
    }
    return sequences.stream().map(SequenceSearch::withoutStart).toList();
  }

  private record Hypothesis(List<Long> tokens, double score) {}

  private record Candidate(int beam, int token, double score) {}

  private static final Comparator<Candidate> BEST_FIRST =
      Comparator.comparingDouble(Candidate::score)
          .reversed()
          .thenComparingInt(Candidate::beam)
          .thenComparingInt(Candidate::token);

  /**
   * Beam search: keeps the {@code beamSize} best partial sequences by total log-probability. An end
   * token among the {@code beamSize} best candidates of a step finishes that sequence; the search
   * stops once {@code beamSize} sequences have finished or after {@code maxTokens} steps, and returns
   * the finished sequence with the best {@code logProb / length^lengthPenalty} (length counting the end
   * token), or, if none finished, the best partial one.
   *
   * @param scorer the model, with one row
   * @param start the token decoding starts from; never generated
   * @param end the token that finishes a sequence
   * @param options beam size, token limit, length penalty and bans
   * @return the generated tokens, without start and end token
   */
  public static long[] beam(TokenScorer scorer, long start, long end, DecodingOptions options) {
    return beam(scorer, new long[] {start}, end, new long[] {start}, options).get(0);
  }

  /** One input's beam search state. */
  private static final class Beams {
    List<Hypothesis> alive;
    final List<Hypothesis> finished = new ArrayList<>();
    final List<Double> finishedRank = new ArrayList<>();
    boolean done;

    Beams(long start) {
      alive = new ArrayList<>(List.of(new Hypothesis(List.of(start), 0)));
    }

    long[] result() {
      if (finished.isEmpty()) {
        return withoutStart(alive.get(0).tokens());
      }
      int best = 0;
      for (int i = 1; i < finished.size(); i++) {
        if (finishedRank.get(i) > finishedRank.get(best)) {
          best = i;
        }
      }
      return withoutStart(finished.get(best).tokens());
    }
  }

  /**
   * {@link #beam(TokenScorer, long, long, DecodingOptions)} for several inputs; see {@link #search}.
   *
   * @param scorer the model, with one row per input to start with, then one per live beam
   * @param starts per input, the token decoding starts from
   * @param end the token that finishes a sequence
   * @param neverGenerated tokens no output may contain
   * @param options beam size, token limit, length penalty and bans
   * @return per input, in order, the generated tokens without start and end token
   * @throws IllegalArgumentException if {@code starts} is empty, or the scorer returns a wrong number
   *     of rows
   */
  public static List<long[]> beam(
      TokenScorer scorer, long[] starts, long end, long[] neverGenerated, DecodingOptions options) {
    checkArgument(starts.length >= 1, "need at least one input");
    int beams = options.beamSize();
    List<Beams> states = new ArrayList<>();
    for (long start : starts) {
      states.add(new Beams(start));
    }
    long[] feed = starts.clone();
    for (int t = 0; t < options.maxTokens(); t++) {
      float[][] logProbs = scorer.next(feed);
      List<Integer> keepRows = new ArrayList<>();
      List<Long> nextFeed = new ArrayList<>();
      int firstRow = 0;
      for (Beams state : states) {
        if (state.done) {
          continue;
        }
        List<Hypothesis> alive = state.alive;
        checkArgument(firstRow + alive.size() <= logProbs.length, "scorer returned too few rows");
        List<Candidate> candidates = new ArrayList<>();
        for (int b = 0; b < alive.size(); b++) {
          float[] row = logProbs[firstRow + b].clone();
          ban(row, alive.get(b).tokens(), neverGenerated, options);
          for (int token : topTokens(row, 2 * beams)) {
            candidates.add(new Candidate(b, token, alive.get(b).score() + row[token]));
          }
        }
        candidates.sort(BEST_FIRST);
        List<Hypothesis> next = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int rank = 0; rank < candidates.size() && next.size() < beams; rank++) {
          Candidate c = candidates.get(rank);
          List<Long> tokens = alive.get(c.beam()).tokens();
          if (c.token() == end) {
            if (rank < beams) {
              state.finished.add(new Hypothesis(tokens, c.score()));
              state.finishedRank.add(c.score() / Math.pow(tokens.size(), options.lengthPenalty()));
            }
            continue;
          }
          List<Long> extended = new ArrayList<>(tokens);
          extended.add((long) c.token());
          next.add(new Hypothesis(extended, c.score()));
          rows.add(firstRow + c.beam());
        }
        firstRow += alive.size();
        if (next.isEmpty() || state.finished.size() >= beams) {
          // A finished input keeps no rows: the model stops computing for it.
          state.done = true;
          continue;
        }
        state.alive = next;
        keepRows.addAll(rows);
        next.forEach(h -> nextFeed.add(last(h.tokens())));
      }
      checkArgument(firstRow == logProbs.length, "scorer returned %s rows for %s beams", logProbs.length, firstRow);
      if (keepRows.isEmpty()) {
        break;
      }
      scorer.select(keepRows.stream().mapToInt(Integer::intValue).toArray());
      feed = nextFeed.stream().mapToLong(Long::longValue).toArray();
    }
    return states.stream().map(Beams::result).toList();
  }

  private static long last(List<Long> tokens) {
    return tokens.get(tokens.size() - 1);
  }

  /** Indices of the {@code k} largest finite entries, largest first, ties by lower index. */
  static int[] topTokens(float[] row, int k) {
    // One pass with a small insertion-sorted buffer: k is twice the beam size, the row ~30k entries.
    int[] best = new int[k];
    int size = 0;
    for (int v = 0; v < row.length; v++) {
      float value = row[v];
      if (value == Float.NEGATIVE_INFINITY || (size == k && value <= row[best[k - 1]])) {
        continue;
      }
      int at = Math.min(size, k - 1);
      while (at > 0 && row[best[at - 1]] < value) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = v;
      size = Math.min(size + 1, k);
    }
    return Arrays.copyOf(best, size);
  }

  /**
   * Sets to -infinity the {@code neverGenerated} tokens, the last token with {@code noImmediateRepeat},
   * and every token that would complete an n-gram already in {@code sequence} (start token included).
   */
  static void ban(float[] row, List<Long> sequence, long[] neverGenerated, DecodingOptions options) {
    for (long token : neverGenerated) {
      row[(int) token] = Float.NEGATIVE_INFINITY;
    }
    if (options.noImmediateRepeat()) {
      row[(int) (long) sequence.get(sequence.size() - 1)] = Float.NEGATIVE_INFINITY;
    }
    int n = options.noRepeatNgram();
    if (n <= 0 || sequence.size() < n - 1) {
      return;
    }
    int size = sequence.size();
    for (int i = 0; i + n - 1 < size; i++) {
      boolean samePrefix = true;
      for (int j = 0; j < n - 1 && samePrefix; j++) {
        samePrefix = sequence.get(i + j).equals(sequence.get(size - n + 1 + j));
      }
      if (samePrefix) {
        row[(int) (long) sequence.get(i + n - 1)] = Float.NEGATIVE_INFINITY;
      }
    }
  }

  private static long[] withoutStart(List<Long> sequence) {
    return sequence.subList(1, sequence.size()).stream().mapToLong(Long::longValue).toArray();
  }
}
