package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One training example for a listwise loss: a query, a list of its passages, and what is known about
 * their order — teacher ranks (1 = best), graded labels, or both.
 *
 * <p>Immutable: the arrays are copied on construction, and {@link #labels()} and {@link
 * #teacherRanks()} return copies. The trainer reads them at every step through {@link
 * #copyLabelsInto} and {@link #copyTeacherRanksInto}, which fill its batch arrays without allocating a
 * copy per list. Equality is a record's: the arrays compare by identity, so two lists are equal only
 * if they are the same object.
 *
 * @param source the data source it came from, which selects the loss applied to it
 * @param qid the query id, for messages and the model card
 * @param query the query text, not blank
 * @param passages the passages' texts, at least 2, none null; copied
 * @param labels graded labels, one per passage, each finite, or null
 * @param teacherRanks the teacher's ranks, one per passage, a permutation of 1..n (1 = best), or null
 */
public record TrainingList(
    String source, String qid, String query, List<String> passages, float[] labels, int[] teacherRanks) {

  /**
   * Checks and copies the components.
   *
   * @param source the data source, not null
   * @param qid the query id, not null
   * @param query the query text, not blank
   * @param passages the passages' texts, at least 2, none null
   * @param labels graded labels, one per passage, each finite, or null
   * @param teacherRanks the teacher's ranks, a permutation of 1..n, or null
   * @throws IllegalArgumentException if a component is null where it may not be, the query is blank,
   *     there are fewer than 2 passages, there are neither labels nor teacher ranks, an array's length
   *     differs from the number of passages, a label is not finite, or the ranks are not a permutation
   *     of 1..n
   */
  public TrainingList {
    checkArgument(qid != null, "qid is null");
    checkArgument(source != null, "source of %s is null", qid);
    checkArgument(query != null && !query.isBlank(), "query of %s is blank", qid);
    checkArgument(passages != null, "passages of %s is null", qid);
    for (int i = 0; i < passages.size(); i++) {
      checkArgument(passages.get(i) != null, "passage %s of %s is null", i, qid);
    }
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
    // Checked here, naming the list: a batch's targets would refuse them only at the step that first
    // draws this list, without saying which list it was.
    if (labels != null) {
      checkFinite(labels, qid);
    }
    if (teacherRanks != null) {
      checkPermutation(teacherRanks, qid);
    }
  }

  private static void checkFinite(float[] labels, String qid) {
    for (int i = 0; i < labels.length; i++) {
      checkArgument(
          Float.isFinite(labels[i]),
          "list of %s: label %s of %s is %s; graded labels must be finite",
          qid,
          i,
          labels.length,
          labels[i]);
    }
  }

  /**
   * Ranks are 1 = best, each once: what every reader produces (a teacher's order is a permutation).
   * ListNet and RankNet would train alike on 0-based ranks, but a term that picks the teacher's
   * first passage ({@code ranks.eq(1)}) would silently pick another one, or none, or several.
   */
  private static void checkPermutation(int[] ranks, String qid) {
    boolean[] seen = new boolean[ranks.length + 1];
    for (int rank : ranks) {
      checkArgument(
          rank >= 1 && rank <= ranks.length && !seen[rank],
          "list of %s: teacher ranks %s are not a permutation of 1..%s (1 = best, each rank once)",
          qid,
          Arrays.toString(ranks),
          ranks.length);
      seen[rank] = true;
    }
  }

  /** {@return the number of passages, at least 2} */
  public int size() {
    return passages.size();
  }

  /** {@return a copy of the graded labels, or null} */
  @Override
  public float[] labels() {
    return labels == null ? null : labels.clone();
  }

  /** {@return a copy of the teacher's ranks (1 = best), or null} */
  @Override
  public int[] teacherRanks() {
    return teacherRanks == null ? null : teacherRanks.clone();
  }

  /** {@return a copy of the graded labels, if the list has them} */
  public Optional<float[]> gradedLabels() {
    return Optional.ofNullable(labels());
  }

  /** {@return a copy of the teacher's ranks (1 = best), if the list has them} */
  public Optional<int[]> ranks() {
    return Optional.ofNullable(teacherRanks());
  }

  /** {@return whether the list has graded labels} */
  public boolean hasLabels() {
    return labels != null;
  }

  /** {@return whether the list has teacher ranks} */
  public boolean hasTeacherRanks() {
    return teacherRanks != null;
  }

  /**
   * Copies the {@link #size()} labels into {@code destination} from {@code offset} on.
   *
   * @param destination the array to fill
   * @param offset the first index written
   * @throws IllegalStateException if the list has no labels
   * @throws IndexOutOfBoundsException if {@code destination} has no room for them from {@code offset}
   */
  public void copyLabelsInto(float[] destination, int offset) {
    checkState(labels != null, "list of %s has no labels", qid);
    System.arraycopy(labels, 0, destination, offset, labels.length);
  }

  /**
   * Copies the {@link #size()} teacher ranks into {@code destination} from {@code offset} on, as floats.
   *
   * @param destination the array to fill
   * @param offset the first index written
   * @throws IllegalStateException if the list has no teacher ranks
   * @throws IndexOutOfBoundsException if {@code destination} has no room for them from {@code offset}
   */
  public void copyTeacherRanksInto(float[] destination, int offset) {
    checkState(teacherRanks != null, "list of %s has no teacher ranks", qid);
    for (int i = 0; i < teacherRanks.length; i++) {
      destination[offset + i] = teacherRanks[i];
    }
  }
}
