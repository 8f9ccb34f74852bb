package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A candidate passage shown to a teacher: its identifier in the user's corpus and its text.
 *
 * <p>The teacher only sees the text; the identifier travels through to the training record's {@code
 * sorted_docids}.
 */
public record Passage(String id, String text) {
  public Passage {
    checkNotNull(id, "passage id is null");
    checkNotNull(text, "text of passage %s is null", id);
    checkArgument(!id.isBlank(), "passage id is blank: '%s'", id);
  }
}
