package io.github.r2r.text;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.github.r2r.util.OfflineDefaults;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * WordPiece tokenization through DJL's HuggingFace tokenizer, without special tokens: the caller
 * assembles {@code [CLS] a [SEP] b [SEP]} itself (see {@link SequenceBuilder}) so it controls which
 * side is truncated and how long documents are windowed.
 *
 * <p>Thread-safe: the native tokenizer is immutable after construction.
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final long clsId;
  private final long sepId;
  private final OptionalInt vocabularySize;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, OptionalInt vocabularySize) {
    this.tokenizer = tokenizer;
    this.vocabularySize = vocabularySize;
    // The BERT post-processor wraps a single sequence as [CLS] x [SEP]: read both ids from it rather
    // than assuming vocabulary positions.
    long[] empty = tokenizer.encode("", true, false).getIds();
    checkArgument(
        empty.length == 2, "tokenizer does not add [CLS]/[SEP] around a sequence (got %s ids)", empty.length);
    this.clsId = empty[0];
    this.sepId = empty[1];
  }

  /**
   * Loads a HuggingFace {@code tokenizer.json}.
   *
   * @param tokenizerJson the file
   * @return the tokenizer, to be closed by the caller
   * @throws IllegalArgumentException if the path is null or empty
   * @throws IOException if the file is missing, cannot be read, or is not a tokenizer that wraps a
   *     sequence in {@code [CLS]} and {@code [SEP]}
   */
  public static TextTokenizer fromFile(Path tokenizerJson) throws IOException {
    checkArgument(tokenizerJson != null, "tokenizer path is null");
    checkArgument(
        !tokenizerJson.toString().isBlank(), "tokenizer path is empty: give the path of a tokenizer.json");
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new IOException("tokenizer file not found: " + tokenizerJson.toAbsolutePath());
    }
    try (InputStream in = Files.newInputStream(tokenizerJson)) {
      return fromStream(in, tokenizerJson.toString());
    }
  }

  /**
   * Loads a {@code tokenizer.json} from a stream (e.g. a classpath resource).
   *
   * @param in the file's bytes, read to the end; not closed
   * @param source names the file or resource in error messages
   * @return the tokenizer, to be closed by the caller
   * @throws IOException if the stream cannot be read, or its content is not a tokenizer that wraps a
   *     sequence in {@code [CLS]} and {@code [SEP]}
   */
  public static TextTokenizer fromStream(InputStream in, String source) throws IOException {
    // Loading DJL's native tokenizer library is the first DJL call of a model load: offline from here.
    OfflineDefaults.ensure();
    // Padding and truncation are disabled here because the tokenizer.json files of some models fix them
    // (all-MiniLM pads and truncates to 128); we pad per batch and window long documents ourselves.
    Map<String, String> options = Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "false");
    byte[] json = in.readAllBytes();
    try {
      return new TextTokenizer(
          HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options), TokenizerVocabulary.size(json));
    } catch (RuntimeException e) {
      throw new IOException("cannot read tokenizer from " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Token ids of {@code text} (no special tokens) with each token's span in {@code text}, in Java
   * {@code char} offsets ({@code text.substring(start, end)} is the token's text).
   *
   * @param text the text; not truncated, however long
   * @return the tokens; a token that maps to no characters has offsets -1
   */
  public TokenizedText tokenize(String text) {
    Encoding encoding = tokenizer.encode(text, false, false);
    CharSpan[] spans = encoding.getCharTokenSpans();
    // The native tokenizer counts code points; Java strings count UTF-16 units, two for a character
    // outside the Basic Multilingual Plane (an emoji). Convert where the two differ.
    int[] charOffset = text.length() == text.codePointCount(0, text.length()) ? null : charOffsets(text);
    int[] starts = new int[spans.length];
    int[] ends = new int[spans.length];
    for (int i = 0; i < spans.length; i++) {
      starts[i] = spans[i] == null ? -1 : toChars(spans[i].getStart(), charOffset);
      ends[i] = spans[i] == null ? -1 : toChars(spans[i].getEnd(), charOffset);
    }
    return new TokenizedText(encoding.getIds(), starts, ends);
  }

  /** For each code-point offset 0..n of {@code text}, its offset in chars. */
  private static int[] charOffsets(String text) {
    int[] out = new int[text.codePointCount(0, text.length()) + 1];
    int chars = 0;
    for (int cp = 0; cp < out.length - 1; cp++) {
      out[cp] = chars;
      chars += Character.charCount(text.codePointAt(chars));
    }
    out[out.length - 1] = chars;
    return out;
  }

  private static int toChars(int codePoints, int[] charOffset) {
    return charOffset == null ? codePoints : charOffset[codePoints];
  }

  /** {@return the id of {@code [CLS]}, which starts every model input} */
  public long clsId() {
    return clsId;
  }

  /** {@return the id of {@code [SEP]}, which ends each segment of a model input} */
  public long sepId() {
    return sepId;
  }

  /**
   * One more than the largest id this tokenizer can produce (its vocabulary and added tokens), for checking
   * that a model has an embedding for each; empty when its file lays the vocabulary out in a way not read.
   *
   * @return the id bound, or empty when unknown
   */
  public OptionalInt vocabularySize() {
    return vocabularySize;
  }

  /**
   * The ids among {@code 0..vocabSize-1} that continue a word rather than start one: WordPiece's
   * {@code ##} pieces. Empty for a tokenizer without them (its pieces cannot be told apart this way).
   *
   * @param vocabSize how many ids to examine: the model's vocabulary size
   * @return the continuation ids (a new, mutable set)
   * @throws IllegalArgumentException if {@code vocabSize} is not positive
   */
  public Set<Long> wordContinuations(int vocabSize) {
    String[] pieces = pieces(vocabSize);
    Set<Long> out = new HashSet<>();
    for (int id = 0; id < vocabSize; id++) {
      if (continuesWord(pieces[id])) {
        out.add((long) id);
      }
    }
    return out;
  }

  /**
   * Whether {@code piece}, as {@link #pieces} gives it, continues the word before it: a WordPiece
   * {@code ##} piece.
   *
   * @param piece a vocabulary entry decoded alone
   * @return whether it starts with {@code ##} and has text after it
   */
  public static boolean continuesWord(String piece) {
    return piece.startsWith("##") && piece.length() > 2;
  }

  /**
   * Each of the ids {@code 0..vocabSize-1} decoded alone; a WordPiece continuation piece keeps its
   * {@code ##} (the decoder strips it only after another token), and the tokenizer's special tokens
   * ({@code [CLS]}, {@code [SEP]}, {@code [PAD]}, ...) are empty strings: they are no text a reason
   * writes (read as text, {@code [SEP]}, the end token, would be the word "sep").
   *
   * @param vocabSize how many ids to decode, at least 1
   * @return the pieces, indexed by id
   * @throws IllegalArgumentException if {@code vocabSize} is not positive
   */
  public String[] pieces(int vocabSize) {
    checkArgument(vocabSize > 0, "vocabSize must be positive, got %s", vocabSize);
    long[][] single = new long[vocabSize][];
    for (int id = 0; id < vocabSize; id++) {
      single[id] = new long[] {id};
    }
    return tokenizer.batchDecode(single, true);
  }

  /**
   * Decodes ids back to text, skipping special tokens.
   *
   * @param ids token ids
   * @return the text, word pieces joined into words
   */
  public String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
