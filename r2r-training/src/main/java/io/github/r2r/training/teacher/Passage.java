package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A candidate passage shown to a teacher: its identifier in the user's corpus and its text.
 *
 * <p>The teacher only sees the text; the identifier travels through to the training record's {@code
 * sorted_docids}.
 *
 * @param id the identifier, not blank
 * @param text the text shown to the teacher
 */
public record Passage(String id, String text) {
  /**
   * Checks the components.
   *
   * @param id the identifier, not blank
   * @param text the text shown to the teacher
   * @throws NullPointerException if {@code id} or {@code text} is null
   * @throws IllegalArgumentException if {@code id} is blank
   */
  public Passage {
    checkNotNull(id, "passage id is null");
    checkNotNull(text, "text of passage %s is null", id);
    checkArgument(!id.isBlank(), "passage id is blank: '%s'", id);
  }
}
