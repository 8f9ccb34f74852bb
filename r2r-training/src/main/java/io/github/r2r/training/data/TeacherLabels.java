package io.github.r2r.training.data;

import com.google.common.collect.ImmutableList;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.List;

/** Reads the per-passage {@code scores} field of teacher rows as the reader's options say. */
final class TeacherLabels {
  private TeacherLabels() {}

  /**
   * The labels of the {@code n} passages in BM25 order, or an empty list when the scores are
   * retrieval scores. The field must have one entry per passage either way.
   */
  static List<Integer> read(JsonRow row, String field, int n, ScoresInterpretation meaning)
      throws RejectedRow {
    JsonArray scores = row.array(field);
    if (scores.size() != n) {
      throw RejectedRow.malformed(
          "field '" + field + "' has " + scores.size() + " entries but 'unsorted_docs' has " + n);
    }
    if (meaning == ScoresInterpretation.RETRIEVAL_SCORES) {
      return ImmutableList.of();
    }
    ImmutableList.Builder<Integer> labels = ImmutableList.builder();
    for (int i = 0; i < n; i++) {
      JsonElement score = scores.get(i);
      try {
        labels.add(JsonRow.integerValue(score, field + "[" + i + "]"));
      } catch (RejectedRow e) {
        throw RejectedRow.malformed(
            e.getMessage()
                + " (read as a relevance label; if this file holds retrieval scores, read it with"
                + " ScoresInterpretation.RETRIEVAL_SCORES)");
      }
    }
    return labels.build();
  }
}
