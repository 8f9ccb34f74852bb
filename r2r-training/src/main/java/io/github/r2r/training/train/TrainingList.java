package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * One training example for a listwise loss: a query, a list of its passages, and what is known about
 * their order — teacher ranks (1 = best), graded labels, or both.
 *
 * @param source the data source it came from, which selects the loss applied to it
 */
public record TrainingList(
    String source, String qid, String query, List<String> passages, float[] labels, int[] teacherRanks) {

  public TrainingList {
    checkNotNull(source, "source");
    checkNotNull(qid, "qid");
    checkArgument(query != null && !query.isBlank(), "query of %s is blank", qid);
    passages = ImmutableList.copyOf(passages);
    checkArgument(passages.size() >= 2, "list of %s has %s passages; a ranking needs 2", qid, passages.size());
    checkArgument(
        labels != null || teacherRanks != null, "list of %s has neither labels nor teacher ranks", qid);
    checkArgument(
        labels == null || labels.length == passages.size(),
        "list of %s: %s labels for %s passages",
        qid,
        labels == null ? 0 : labels.length,
        passages.size());
    checkArgument(
        teacherRanks == null || teacherRanks.length == passages.size(),
        "list of %s: %s teacher ranks for %s passages",
        qid,
        teacherRanks == null ? 0 : teacherRanks.length,
        passages.size());
    labels = labels == null ? null : labels.clone();
    teacherRanks = teacherRanks == null ? null : teacherRanks.clone();
  }

  public int size() {
    return passages.size();
  }

  public Optional<float[]> gradedLabels() {
    return Optional.ofNullable(labels).map(float[]::clone);
  }

  public Optional<int[]> ranks() {
    return Optional.ofNullable(teacherRanks).map(int[]::clone);
  }
}
