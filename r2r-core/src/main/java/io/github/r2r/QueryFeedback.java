package io.github.r2r;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;

/**
 * Pseudo-relevance feedback for bi-encoders (Rocchio on embeddings): after a first scoring, the query
 * embedding moves toward the mean embedding of the top documents of the list, and every document is
 * scored again against the moved query: {@code q' = normalize(q + weight * mean(top documents))}.
 *
 * <p>Why: a short query embeds less precisely than a passage, and the best candidates show what the
 * relevant passages of this query look like. It costs no extra encoding: the candidates' embeddings
 * are already there. The price is that a document's score then depends on the other candidates of
 * the call (as with any listwise reranker); with {@link #none()} it depends on the document alone.
 * Lists of at most {@link #topDocuments()} documents are scored without feedback, where it would
 * only move the query to the centre of the whole list.
 *
 * @param topDocuments how many of the first scoring's best documents the query moves toward
 * @param weight how far the query moves: the weight of their mean embedding next to the query's own
 */
public record QueryFeedback(int topDocuments, float weight) {
  private static final QueryFeedback NONE = new QueryFeedback(0, 0f);

  /**
   * Checks the components; {@code (0, 0)} is no feedback.
   *
   * @param topDocuments how many of the best documents the query moves toward, 0 for none
   * @param weight how far the query moves, 0 for none
   * @throws IllegalArgumentException if {@code topDocuments} is negative, {@code weight} is negative or
   *     not finite, or exactly one of them is 0
   */
  public QueryFeedback {
    checkArgument(topDocuments >= 0, "feedback topDocuments must be non-negative, got %s", topDocuments);
    checkArgument(
        Float.isFinite(weight) && weight >= 0, "feedback weight must be finite and non-negative, got %s", weight);
    checkArgument(
        (topDocuments == 0) == (weight == 0f),
        "feedback needs both topDocuments and weight positive, or both 0; got %s and %s",
        Integer.valueOf(topDocuments),
        Float.valueOf(weight));
  }

  /** {@return no feedback: each document's score depends on the query and the document alone} */
  public static QueryFeedback none() {
    return NONE;
  }

  /**
   * Moves the query toward the mean of the {@code topDocuments} best first-round documents.
   *
   * @param topDocuments how many of the first scoring's best documents, at least 1
   * @param weight the weight of their mean embedding next to the query's, positive and finite
   * @return the feedback
   * @throws IllegalArgumentException if {@code topDocuments} is less than 1, or {@code weight} is not
   *     positive or not finite
   */
  public static QueryFeedback rocchio(int topDocuments, float weight) {
    checkArgument(topDocuments >= 1, "feedback topDocuments must be at least 1, got %s", topDocuments);
    checkArgument(weight > 0, "feedback weight must be positive, got %s", weight);
    return new QueryFeedback(topDocuments, weight);
  }

  /**
   * Parses {@code none} or {@code TOP:WEIGHT} (for example {@code 2:0.75}), the form used by the
   * example programs' {@code --feedback} option. Case and surrounding spaces are ignored.
   *
   * @param text {@code none} or {@code TOP:WEIGHT}, as {@link #toString()} writes it
   * @return the feedback {@code text} describes
   * @throws IllegalArgumentException if {@code text} is null or neither form, or its numbers are out of
   *     the range of {@link #rocchio(int, float)}
   */
  public static QueryFeedback parse(String text) {
    checkArgument(text != null, "feedback is null");
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("none")) {
      return none();
    }
    String[] parts = t.split(":", -1);
    checkArgument(parts.length == 2, "feedback '%s' is neither 'none' nor TOP:WEIGHT such as 2:0.75", text);
    try {
      return rocchio(Integer.parseInt(parts[0].strip()), Float.parseFloat(parts[1].strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "feedback '" + text + "' is neither 'none' nor TOP:WEIGHT such as 2:0.75", e);
    }
  }

  /** {@return whether this feedback moves the query at all ({@code false} for {@link #none()})} */
  public boolean enabled() {
    return topDocuments > 0;
  }

  @Override
  public String toString() {
    return enabled() ? topDocuments + ":" + weight : "none";
  }
}
