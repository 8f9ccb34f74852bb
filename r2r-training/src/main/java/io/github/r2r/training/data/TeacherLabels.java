package io.github.r2r.training.data;

import com.google.common.collect.ImmutableList;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.List;
import java.util.OptionalInt;

/** Reads the per-passage {@code scores} field of teacher rows as the reader's options say. */
final class TeacherLabels {
  private TeacherLabels() {}

  /**
   * The label of each of the {@code n} passages in BM25 order, empty where there is none: all of them
   * when the scores are retrieval scores, and each entry that is an empty string, which is how a
   * teacher run without labels (r2r's own {@code LabelWithTeacher} output) fills the field. The field
   * must have one entry per passage either way.
   */
  static List<OptionalInt> read(JsonRow row, String field, int n, ScoresInterpretation meaning)
      throws RejectedRow {
    JsonArray scores = row.array(field);
    if (scores.size() != n) {
      throw RejectedRow.malformed(
          "field '" + field + "' has " + scores.size() + " entries but 'unsorted_docs' has " + n);
    }
    ImmutableList.Builder<OptionalInt> labels = ImmutableList.builder();
    for (int i = 0; i < n; i++) {
      JsonElement score = scores.get(i);
      if (meaning == ScoresInterpretation.RETRIEVAL_SCORES || isUnknown(score)) {
        labels.add(OptionalInt.empty());
        continue;
      }
      try {
        labels.add(OptionalInt.of(JsonRow.integerValue(score, field + "[" + i + "]")));
      } catch (RejectedRow e) {
        throw RejectedRow.malformed(
            e.getMessage()
                + " (read as a relevance label; if this file holds retrieval scores, read it with"
                + " ScoresInterpretation.RETRIEVAL_SCORES)");
      }
    }
    return labels.build();
  }

  /** An empty string: the passage has no label (as opposed to a label that does not parse). */
  private static boolean isUnknown(JsonElement score) {
    return score.isJsonPrimitive() && score.getAsJsonPrimitive().isString() && score.getAsString().isEmpty();
  }
}
