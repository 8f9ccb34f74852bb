package io.github.r2r.generate;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * How a reason is decoded.
 *
 * @param beamSize 1 for greedy decoding, more for beam search with that many beams
 * @param maxTokens the most tokens generated (the end token not counted); decoding stops there
 * @param noRepeatNgram no n-gram of this size occurs twice in the output; 0 turns the rule off
 * @param lengthPenalty beam search ranks finished beams by {@code logProb / length^lengthPenalty}; 0
 *     ranks by total log-probability (which favours short outputs)
 * @param copyBias added to the log-probability of every token that occurs in the input (query and
 *     passages), which makes reasons quote the input more and invent less; 0 turns it off
 * @param noImmediateRepeat never generate the token just generated ("hair hair"): a copying decoder
 *     tends to stutter on the input word it attends to
 * @param wholeWordCopies a word piece of the input that continues a word ({@code ##minants}) may only
 *     follow a token of the input that it follows there: a copying decoder otherwise glues pieces of
 *     one input word to another ("social" + "##minants"). Pieces after tokens the input does not
 *     contain are left alone (the decoder's own vocabulary words). Needs a WordPiece vocabulary (does
 *     nothing with another).
 * @param maxUngroundedWords the most words a reason may write that are not in its input (query and
 *     passages) and are neither English function words ({@link io.github.r2r.eval.StopWords}) nor
 *     punctuation; once it has written that many, it may write only input words, function words and
 *     punctuation. {@link #UNLIMITED} (the default) sets no limit; 0 makes every token of a reason one
 *     of the query's or the passage's ({@link #groundedWords()}), so nearly every content word is
 *     theirs (99.4-99.9 % measured: pieces of two input words can still join into a new word), at the
 *     cost of the teacher's framing words ("passage", "provides", "relevant"), so reasons read less
 *     like the teacher's. The limit is kept token by token: a word counts once, when the first of its
 *     pieces that the input does not hold is written; a word begun within the limit may be finished.
 *     (It replaces the boolean component {@code groundedWords} of earlier versions: {@code
 *     withGroundedWords(true)} is 0.)
 * @param maxWordOccurrences the most times one content word (not an English function word; {@code
 *     fleas} counts as {@code flea}) may occur in a reason; once a word has occurred that often, the
 *     vocabulary pieces that spell it alone may not start another word. A copying decoder otherwise
 *     circles on the query's words ("the life of flea cycle of a flea of the flea"). {@link #UNLIMITED}
 *     sets no limit. Words the vocabulary spells only in several pieces are not held to it. Needs a
 *     WordPiece vocabulary ({@code ##} pieces); with another vocabulary no limit is applied, since its
 *     pieces cannot be told to start or continue a word. (Added in session 16 as the ninth component:
 *     the eight-argument constructor keeps its old meaning, no limit.)
 */
public record DecodingOptions(
    int beamSize,
    int maxTokens,
    int noRepeatNgram,
    double lengthPenalty,
    float copyBias,
    boolean noImmediateRepeat,
    boolean wholeWordCopies,
    int maxUngroundedWords,
    int maxWordOccurrences) {
  /** {@link #maxUngroundedWords} or {@link #maxWordOccurrences} for no limit. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /**
   * Options without copy bias, immediate repeats allowed, word pieces unconstrained, no limit on
   * ungrounded words or on word occurrences.
   *
   * @param beamSize 1 for greedy decoding, more for beam search, at most {@link #MAX_BEAM_SIZE}
   * @param maxTokens the most tokens generated, at least 1
   * @param noRepeatNgram size of the n-grams that may not repeat; 0 turns the rule off
   * @param lengthPenalty exponent of the length that divides a finished beam's log-probability; 0 or
   *     more, finite
   * @throws IllegalArgumentException if a value is outside its range
   */
  public DecodingOptions(int beamSize, int maxTokens, int noRepeatNgram, double lengthPenalty) {
    this(beamSize, maxTokens, noRepeatNgram, lengthPenalty, 0f, false, false, UNLIMITED, UNLIMITED);
  }

  /**
   * Options with a copy bias, immediate repeats allowed, word pieces unconstrained, no limit on
   * ungrounded words or on word occurrences.
   *
   * @param beamSize 1 for greedy decoding, more for beam search, at most {@link #MAX_BEAM_SIZE}
   * @param maxTokens the most tokens generated, at least 1
   * @param noRepeatNgram size of the n-grams that may not repeat; 0 turns the rule off
   * @param lengthPenalty exponent of the length that divides a finished beam's log-probability; 0 or
   *     more, finite
   * @param copyBias added to the log-probability of every input token; 0 or more, finite
   * @throws IllegalArgumentException if a value is outside its range
   */
  public DecodingOptions(int beamSize, int maxTokens, int noRepeatNgram, double lengthPenalty, float copyBias) {
    this(beamSize, maxTokens, noRepeatNgram, lengthPenalty, copyBias, false, false, UNLIMITED, UNLIMITED);
  }

  /**
   * All settings of earlier versions, which had no {@link #maxWordOccurrences}: no limit on word
   * occurrences, as then.
   *
   * @param beamSize 1 for greedy decoding, more for beam search, at most {@link #MAX_BEAM_SIZE}
   * @param maxTokens the most tokens generated, at least 1
   * @param noRepeatNgram size of the n-grams that may not repeat; 0 turns the rule off
   * @param lengthPenalty exponent of the length that divides a finished beam's log-probability; 0 or
   *     more, finite
   * @param copyBias added to the log-probability of every input token; 0 or more, finite
   * @param noImmediateRepeat never generate the token just generated
   * @param wholeWordCopies continue a copied word only as the input does
   * @param maxUngroundedWords the most words not from the input; 0 or more, {@link #UNLIMITED} for no
   *     limit
   * @throws IllegalArgumentException if a value is outside its range
   */
  public DecodingOptions(
      int beamSize,
      int maxTokens,
      int noRepeatNgram,
      double lengthPenalty,
      float copyBias,
      boolean noImmediateRepeat,
      boolean wholeWordCopies,
      int maxUngroundedWords) {
    this(beamSize, maxTokens, noRepeatNgram, lengthPenalty, copyBias, noImmediateRepeat, wholeWordCopies,
        maxUngroundedWords, UNLIMITED);
  }

  /** The widest beam search allowed. */
  public static final int MAX_BEAM_SIZE = 256;

  /**
   * Checks the ranges. The decoder checks {@code maxTokens} against its own limit when it is given the
   * options; the rules that read WordPiece words ({@code wholeWordCopies}, {@code maxWordOccurrences})
   * do nothing with a vocabulary without {@code ##} pieces.
   *
   * @param beamSize 1 for greedy decoding, more for beam search, at most {@link #MAX_BEAM_SIZE}
   * @param maxTokens the most tokens generated, at least 1
   * @param noRepeatNgram size of the n-grams that may not repeat; 0 turns the rule off
   * @param lengthPenalty exponent of the length that divides a finished beam's log-probability; 0 or
   *     more, finite
   * @param copyBias added to the log-probability of every input token; 0 or more, finite
   * @param noImmediateRepeat never generate the token just generated
   * @param wholeWordCopies continue a copied word only as the input does
   * @param maxUngroundedWords the most words not from the input; 0 or more, {@link #UNLIMITED} for no
   *     limit
   * @param maxWordOccurrences the most times one content word may occur; 1 or more, {@link #UNLIMITED}
   *     for no limit
   * @throws IllegalArgumentException if a value is outside its range
   */
  public DecodingOptions {
    // Bounded: beams are rows of one batch (and sizes of index arrays); a thousand would be minutes per
    // reason, and larger sizes overflow.
    checkArgument(beamSize >= 1 && beamSize <= MAX_BEAM_SIZE, "beamSize must be in [1, %s], got %s", MAX_BEAM_SIZE, beamSize);
    checkArgument(maxTokens >= 1, "maxTokens must be at least 1, got %s", maxTokens);
    checkArgument(noRepeatNgram >= 0, "noRepeatNgram must be 0 (off) or positive, got %s", noRepeatNgram);
    checkArgument(
        Double.isFinite(lengthPenalty) && lengthPenalty >= 0,
        "lengthPenalty must be a finite non-negative number, got %s",
        lengthPenalty);
    checkArgument(
        Float.isFinite(copyBias) && copyBias >= 0, "copyBias must be a finite non-negative number, got %s", copyBias);
    checkArgument(
        maxUngroundedWords >= 0, "maxUngroundedWords must be 0 or more (UNLIMITED for no limit), got %s",
        maxUngroundedWords);
    checkArgument(
        maxWordOccurrences >= 1, "maxWordOccurrences must be 1 or more (UNLIMITED for no limit), got %s",
        maxWordOccurrences);
  }

  /**
   * Beam search with 4 beams, at most 60 tokens, no repeated trigram, no immediate repeat, length
   * penalty 1, copy bias 1, whole-word copies, no limit on ungrounded words, each content word at most
   * twice. Chosen for the bundled decoder on the 40 training-file queries its training held out
   * (docs/explanations.md): copy bias 1 gave the best pointwise ROUGE-L there, whole-word copies raised
   * pointwise ROUGE-L and groundedness, and two occurrences per word took the reasons with a word three
   * or more times from 34 of 200 to 2 without lowering ROUGE-L.
   *
   * @return the default options
   */
  public static DecodingOptions defaults() {
    return new DecodingOptions(4, 60, 3, 1.0, 1f, true, true, UNLIMITED, 2);
  }

  /** {@return greedy decoding with this object's other settings} */
  public DecodingOptions greedy() {
    return withBeamSize(1);
  }

  /**
   * {@return these options with another beam size}
   *
   * @param newBeamSize 1 for greedy decoding, at most {@link #MAX_BEAM_SIZE}
   * @throws IllegalArgumentException if {@code newBeamSize} is outside {@code [1, MAX_BEAM_SIZE]}
   */
  public DecodingOptions withBeamSize(int newBeamSize) {
    return new DecodingOptions(
        newBeamSize, maxTokens, noRepeatNgram, lengthPenalty, copyBias, noImmediateRepeat, wholeWordCopies,
        maxUngroundedWords, maxWordOccurrences);
  }

  /**
   * {@return these options with another token limit}
   *
   * @param newMaxTokens the most tokens generated, at least 1
   * @throws IllegalArgumentException if {@code newMaxTokens} is less than 1
   */
  public DecodingOptions withMaxTokens(int newMaxTokens) {
    return new DecodingOptions(
        beamSize, newMaxTokens, noRepeatNgram, lengthPenalty, copyBias, noImmediateRepeat, wholeWordCopies,
        maxUngroundedWords, maxWordOccurrences);
  }

  /**
   * {@return these options with another length penalty}
   *
   * @param newLengthPenalty the exponent of the length; 0 or more, finite
   * @throws IllegalArgumentException if {@code newLengthPenalty} is negative or not finite
   */
  public DecodingOptions withLengthPenalty(double newLengthPenalty) {
    return new DecodingOptions(
        beamSize, maxTokens, noRepeatNgram, newLengthPenalty, copyBias, noImmediateRepeat, wholeWordCopies,
        maxUngroundedWords, maxWordOccurrences);
  }

  /**
   * {@return these options with another no-repeat n-gram size}
   *
   * @param newNoRepeatNgram the n-gram size that may not repeat; 0 turns the rule off
   * @throws IllegalArgumentException if {@code newNoRepeatNgram} is negative
   */
  public DecodingOptions withNoRepeatNgram(int newNoRepeatNgram) {
    return new DecodingOptions(
        beamSize, maxTokens, newNoRepeatNgram, lengthPenalty, copyBias, noImmediateRepeat, wholeWordCopies,
        maxUngroundedWords, maxWordOccurrences);
  }

  /**
   * {@return these options with immediate repeats forbidden or allowed}
   *
   * @param newNoImmediateRepeat {@code true} to never generate the token just generated
   */
  public DecodingOptions withNoImmediateRepeat(boolean newNoImmediateRepeat) {
    return new DecodingOptions(
        beamSize, maxTokens, noRepeatNgram, lengthPenalty, copyBias, newNoImmediateRepeat, wholeWordCopies,
        maxUngroundedWords, maxWordOccurrences);
  }

  /**
   * {@return these options with another copy bias}
   *
   * @param newCopyBias added to the log-probability of every input token; 0 (off) or more, finite
   * @throws IllegalArgumentException if {@code newCopyBias} is negative or not finite
   */
  public DecodingOptions withCopyBias(float newCopyBias) {
    return new DecodingOptions(
        beamSize, maxTokens, noRepeatNgram, lengthPenalty, newCopyBias, noImmediateRepeat, wholeWordCopies,
        maxUngroundedWords, maxWordOccurrences);
  }

  /**
   * {@return these options with whole-word copies on or off}
   *
   * @param newWholeWordCopies {@code true} to continue a copied word only as the input does
   */
  public DecodingOptions withWholeWordCopies(boolean newWholeWordCopies) {
    return new DecodingOptions(
        beamSize, maxTokens, noRepeatNgram, lengthPenalty, copyBias, noImmediateRepeat, newWholeWordCopies,
        maxUngroundedWords, maxWordOccurrences);
  }

  /**
   * {@return whether every content word of a reason must come from its input ({@link #maxUngroundedWords}
   * 0)}
   */
  public boolean groundedWords() {
    return maxUngroundedWords == 0;
  }

  /**
   * {@link #withMaxUngroundedWords} 0 when {@code true}, {@link #UNLIMITED} when {@code false}.
   *
   * @param newGroundedWords whether every content word must come from the input
   * @return these options with the limit set
   */
  public DecodingOptions withGroundedWords(boolean newGroundedWords) {
    return withMaxUngroundedWords(newGroundedWords ? 0 : UNLIMITED);
  }

  /**
   * {@return these options with another limit on ungrounded words}
   *
   * @param newMaxUngroundedWords the most words not from the input; 0 or more, {@link #UNLIMITED} for
   *     no limit
   * @throws IllegalArgumentException if {@code newMaxUngroundedWords} is negative
   */
  public DecodingOptions withMaxUngroundedWords(int newMaxUngroundedWords) {
    return new DecodingOptions(
        beamSize, maxTokens, noRepeatNgram, lengthPenalty, copyBias, noImmediateRepeat, wholeWordCopies,
        newMaxUngroundedWords, maxWordOccurrences);
  }

  /**
   * {@return these options with another limit on how often one content word may occur}
   *
   * @param newMaxWordOccurrences the most times one content word may occur in a reason; 1 or more,
   *     {@link #UNLIMITED} for no limit
   * @throws IllegalArgumentException if {@code newMaxWordOccurrences} is less than 1
   */
  public DecodingOptions withMaxWordOccurrences(int newMaxWordOccurrences) {
    return new DecodingOptions(
        beamSize, maxTokens, noRepeatNgram, lengthPenalty, copyBias, noImmediateRepeat, wholeWordCopies,
        maxUngroundedWords, newMaxWordOccurrences);
  }
}
