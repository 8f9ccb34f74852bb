package io.github.r2r.training.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One passage of a {@link TrainingQuery}, with whatever supervision the source provides.
 *
 * <p>Every optional part is absent when the source has no value for it; blank teacher strings are
 * absent too (some teacher rows have an empty evidence sentence).
 */
public final class TrainingPassage {
  private final String id;
  private final String text;
  private final OptionalInt label;
  private final Optional<String> pointwiseReason;
  private final Optional<String> comparativeReason;
  private final Optional<String> evidenceSentence;
  private final OptionalInt retrievalRank;

  private TrainingPassage(Builder builder) {
    this.id = builder.id;
    this.text = builder.text;
    this.label = builder.label;
    this.pointwiseReason = builder.pointwiseReason;
    this.comparativeReason = builder.comparativeReason;
    this.evidenceSentence = builder.evidenceSentence;
    this.retrievalRank = builder.retrievalRank;
  }

  /**
   * A builder for a passage.
   *
   * @param id the passage id (a collection id such as an MS MARCO pid, or {@link #textId})
   * @param text the passage text
   * @return a builder with every optional part absent
   * @throws NullPointerException if {@code id} or {@code text} is null
   * @throws IllegalArgumentException if {@code id} is blank
   */
  public static Builder builder(String id, String text) {
    return new Builder(id, text);
  }

  /**
   * A stable id derived from the text alone: {@code "text-"} and the first 16 hex digits of the
   * SHA-256 of its UTF-8 bytes. Used where a source's passage ids cannot be trusted; the same text
   * always gets the same id, in any query or file.
   *
   * @param text the passage text
   * @return the id, e.g. {@code text-3f2a9c0d1b4e5f67}
   * @throws NullPointerException if {@code text} is null
   */
  public static String textId(String text) {
    checkNotNull(text, "text");
    return "text-"
        + Hashing.sha256().hashString(text, StandardCharsets.UTF_8).toString().substring(0, 16);
  }

  /** {@return the passage id, unique within its query} */
  public String id() {
    return id;
  }

  /** {@return the passage text} */
  public String text() {
    return text;
  }

  /** {@return the graded relevance label (e.g. 0/1 MS MARCO train labels, 0-3 TREC grades), if any} */
  public OptionalInt label() {
    return label;
  }

  /**
   * {@return the teacher's pointwise reason, if any: how this passage addresses the query ({@code
   * direct_reason})}
   */
  public Optional<String> pointwiseReason() {
    return pointwiseReason;
  }

  /**
   * {@return the teacher's comparative reason, if any: why it ranks where it does against the other
   * passages of its window ({@code listwise_reason})}
   */
  public Optional<String> comparativeReason() {
    return comparativeReason;
  }

  /** {@return the passage sentence that best answers the query ({@code direct_answer_sentence}), if any} */
  public Optional<String> evidenceSentence() {
    return evidenceSentence;
  }

  /**
   * {@return the 1-based rank of the passage in the first-stage (BM25) list of its query; absent for
   * passages that were not retrieved (judged passages added from outside the candidates)}
   */
  public OptionalInt retrievalRank() {
    return retrievalRank;
  }

  /**
   * This passage with its pointwise reason replaced by {@code reason} (absent if empty); every other
   * part stays as it is.
   *
   * @param reason the new reason; empty or blank for none (a reason is stripped)
   * @return a new passage
   * @throws NullPointerException if {@code reason} is null
   */
  public TrainingPassage withPointwiseReason(Optional<String> reason) {
    checkNotNull(reason, "reason");
    Builder copy = new Builder(id, text);
    copy.label = label;
    copy.comparativeReason = comparativeReason;
    copy.evidenceSentence = evidenceSentence;
    copy.retrievalRank = retrievalRank;
    reason.ifPresent(copy::pointwiseReason);
    return copy.build();
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof TrainingPassage)) {
      return false;
    }
    TrainingPassage that = (TrainingPassage) other;
    return id.equals(that.id)
        && text.equals(that.text)
        && label.equals(that.label)
        && pointwiseReason.equals(that.pointwiseReason)
        && comparativeReason.equals(that.comparativeReason)
        && evidenceSentence.equals(that.evidenceSentence)
        && retrievalRank.equals(that.retrievalRank);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        id, text, label, pointwiseReason, comparativeReason, evidenceSentence, retrievalRank);
  }

  @Override
  public String toString() {
    return "TrainingPassage{"
        + id
        + (label.isPresent() ? ", label=" + label.getAsInt() : "")
        + (retrievalRank.isPresent() ? ", rank=" + retrievalRank.getAsInt() : "")
        + (pointwiseReason.isPresent() ? ", with reason" : "")
        + "}";
  }

  /** Builds a {@link TrainingPassage}; unset parts stay absent. */
  public static final class Builder {
    private final String id;
    private final String text;
    private OptionalInt label = OptionalInt.empty();
    private Optional<String> pointwiseReason = Optional.empty();
    private Optional<String> comparativeReason = Optional.empty();
    private Optional<String> evidenceSentence = Optional.empty();
    private OptionalInt retrievalRank = OptionalInt.empty();

    private Builder(String id, String text) {
      checkNotNull(id, "id");
      checkArgument(!id.isBlank(), "passage id must not be blank");
      this.id = id;
      this.text = checkNotNull(text, "text");
    }

    /**
     * Sets the graded relevance label.
     *
     * @param label the label, e.g. 0/1 or a TREC grade 0-3
     * @return this builder
     */
    public Builder label(int label) {
      this.label = OptionalInt.of(label);
      return this;
    }

    /**
     * Sets the pointwise reason, stripped; a blank reason leaves it absent.
     *
     * @param reason the reason
     * @return this builder
     * @throws NullPointerException if {@code reason} is null
     */
    public Builder pointwiseReason(String reason) {
      this.pointwiseReason = nonBlank(reason);
      return this;
    }

    /**
     * Sets the comparative reason, stripped; a blank reason leaves it absent.
     *
     * @param reason the reason
     * @return this builder
     * @throws NullPointerException if {@code reason} is null
     */
    public Builder comparativeReason(String reason) {
      this.comparativeReason = nonBlank(reason);
      return this;
    }

    /**
     * Sets the evidence sentence, stripped; a blank sentence leaves it absent.
     *
     * @param sentence the sentence
     * @return this builder
     * @throws NullPointerException if {@code sentence} is null
     */
    public Builder evidenceSentence(String sentence) {
      this.evidenceSentence = nonBlank(sentence);
      return this;
    }

    /**
     * Sets the 1-based first-stage rank.
     *
     * @param rank the rank, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code rank} is less than 1
     */
    public Builder retrievalRank(int rank) {
      checkArgument(rank >= 1, "retrieval rank must be at least 1, got %s", rank);
      this.retrievalRank = OptionalInt.of(rank);
      return this;
    }

    /** {@return the passage} */
    public TrainingPassage build() {
      return new TrainingPassage(this);
    }

    private static Optional<String> nonBlank(String value) {
      checkNotNull(value, "value");
      return value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
  }
}
