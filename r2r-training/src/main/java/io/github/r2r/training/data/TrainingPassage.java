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
   */
  public static Builder builder(String id, String text) {
    return new Builder(id, text);
  }

  /**
   * A stable id derived from the text alone: {@code "text-"} and the first 16 hex digits of the
   * SHA-256 of its UTF-8 bytes. Used where a source's passage ids cannot be trusted; the same text
   * always gets the same id, in any query or file.
   */
  public static String textId(String text) {
    checkNotNull(text, "text");
    return "text-"
        + Hashing.sha256().hashString(text, StandardCharsets.UTF_8).toString().substring(0, 16);
  }

  /** The passage id, unique within its query. */
  public String id() {
    return id;
  }

  public String text() {
    return text;
  }

  /** The graded relevance label (e.g. 0/1 MS MARCO train labels, 0-3 TREC grades). */
  public OptionalInt label() {
    return label;
  }

  /**
   * The teacher's pointwise reason: how this passage addresses the query ({@code direct_reason}).
   */
  public Optional<String> pointwiseReason() {
    return pointwiseReason;
  }

  /**
   * The teacher's comparative reason: why it ranks where it does against the other passages of its
   * window ({@code listwise_reason}).
   */
  public Optional<String> comparativeReason() {
    return comparativeReason;
  }

  /** The passage sentence that best answers the query ({@code direct_answer_sentence}). */
  public Optional<String> evidenceSentence() {
    return evidenceSentence;
  }

  /**
   * The 1-based rank of the passage in the first-stage (BM25) list of its query; absent for
   * passages that were not retrieved (judged passages added from outside the candidates).
   */
  public OptionalInt retrievalRank() {
    return retrievalRank;
  }

  /**
   * This passage with its pointwise reason replaced by {@code reason} (absent if empty); every other
   * part stays as it is.
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

    public Builder label(int label) {
      this.label = OptionalInt.of(label);
      return this;
    }

    /** Sets the pointwise reason; a blank reason leaves it absent. */
    public Builder pointwiseReason(String reason) {
      this.pointwiseReason = nonBlank(reason);
      return this;
    }

    /** Sets the comparative reason; a blank reason leaves it absent. */
    public Builder comparativeReason(String reason) {
      this.comparativeReason = nonBlank(reason);
      return this;
    }

    /** Sets the evidence sentence; a blank sentence leaves it absent. */
    public Builder evidenceSentence(String sentence) {
      this.evidenceSentence = nonBlank(sentence);
      return this;
    }

    public Builder retrievalRank(int rank) {
      checkArgument(rank >= 1, "retrieval rank must be at least 1, got %s", rank);
      this.retrievalRank = OptionalInt.of(rank);
      return this;
    }

    public TrainingPassage build() {
      return new TrainingPassage(this);
    }

    private static Optional<String> nonBlank(String value) {
      checkNotNull(value, "value");
      return value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
  }
}
