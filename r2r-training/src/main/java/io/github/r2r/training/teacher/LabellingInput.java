package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/** One query to label: its identifier, its text and its candidate passages in first-stage order. */
public record LabellingInput(String qid, String query, List<Passage> passages) {
  public LabellingInput {
    checkNotNull(qid, "qid is null");
    checkArgument(!qid.isBlank(), "qid is blank: '%s'", qid);
    checkNotNull(query, "query of %s is null", qid);
    passages = ImmutableList.copyOf(checkNotNull(passages, "passages of %s is null", qid));
    checkArgument(!passages.isEmpty(), "query %s has no passages", qid);
  }
}
