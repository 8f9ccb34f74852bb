package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * One query to label: its identifier, its text and its candidate passages in first-stage order.
 *
 * @param qid the query id, not blank
 * @param query the query text
 * @param passages the candidates, at least one; copied
 */
public record LabellingInput(String qid, String query, List<Passage> passages) {
  /**
   * Checks the components and copies the passages.
   *
   * @param qid the query id, not blank
   * @param query the query text
   * @param passages the candidates, at least one
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code qid} is blank or there is no passage
   */
  public LabellingInput {
    checkNotNull(qid, "qid is null");
    checkArgument(!qid.isBlank(), "qid is blank: '%s'", qid);
    checkNotNull(query, "query of %s is null", qid);
    passages = ImmutableList.copyOf(checkNotNull(passages, "passages of %s is null", qid));
    checkArgument(!passages.isEmpty(), "query %s has no passages", qid);
  }
}
