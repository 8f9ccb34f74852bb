package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;

/**
 * Sorts more passages than one prompt holds by sliding a window over the list from back to front,
 * as RankGPT does: judge the last {@code windowSize} passages, move the window {@code step}
 * positions towards the front, judge again, until a window has covered the first position.
 *
 * <p>Because consecutive windows overlap by {@code windowSize - step} passages, the best {@code
 * windowSize - step} passages of everything behind a window are carried into it, so a teacher that
 * sorts each window correctly puts the true top {@code windowSize - step} at the top of the whole
 * list. A list that fits one window is passed to the window teacher as is.
 *
 * <p>Merged judgement: the final order; for each passage the reasons from the last (front-most)
 * window that judged it, where it was compared with the strongest competitors; usage, raw answers
 * and repair counts summed over all windows. A passage repaired in its last window keeps its {@link
 * RankedPassage#repaired()} flag. Listwise reasons may name other passages by their number
 * <em>within the window</em> they were written for.
 */
public final class SlidingWindowTeacher implements Teacher {
  private final Teacher windowTeacher;
  private final int windowSize;
  private final int step;

  /**
   * @param windowTeacher judges one window
   * @param windowSize passages per call, at least 2
   * @param step positions the window moves each time, from 1 to {@code windowSize - 1}
   */
  public SlidingWindowTeacher(Teacher windowTeacher, int windowSize, int step) {
    this.windowTeacher = checkNotNull(windowTeacher, "windowTeacher is null");
    checkArgument(windowSize >= 2, "windowSize must be >= 2, got %s", windowSize);
    checkArgument(
        step >= 1 && step < windowSize,
        "step must be between 1 and windowSize - 1 = %s so that windows overlap, got %s",
        windowSize - 1,
        step);
    this.windowSize = windowSize;
    this.step = step;
  }

  /**
   * Number of window calls needed for {@code passageCount} passages.
   *
   * @param passageCount the number of passages, at least 1
   * @return the number of windows, at least 1
   * @throws IllegalArgumentException if {@code passageCount} is less than 1
   */
  public int windowCount(int passageCount) {
    checkArgument(passageCount >= 1, "passageCount must be >= 1, got %s", passageCount);
    if (passageCount <= windowSize) {
      return 1;
    }
    return 1 + (passageCount - windowSize + step - 1) / step;
  }

  @Override
  public TeacherJudgement judge(String query, List<Passage> passages) throws InterruptedException {
    checkArgument(!passages.isEmpty(), "no passages to judge for query '%s'", query);
    if (passages.size() <= windowSize) {
      return windowTeacher.judge(query, passages);
    }
    int count = passages.size();
    List<Integer> order = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      order.add(i);
    }
    RankedPassage[] latest = new RankedPassage[count];
    TokenUsage usage = TokenUsage.NONE;
    ImmutableList.Builder<String> rawResponses = ImmutableList.builder();
    int repairedMissing = 0;
    String model = windowTeacher.model();
    for (int end = count; ; end -= step) {
      int start = Math.max(0, end - windowSize);
      List<Integer> window = new ArrayList<>(order.subList(start, end));
      List<Passage> windowPassages = new ArrayList<>(window.size());
      for (int index : window) {
        windowPassages.add(passages.get(index));
      }
      TeacherJudgement judgement = windowTeacher.judge(query, windowPassages);
      if (judgement.size() != window.size()) {
        throw new TeacherException(
            "window teacher ranked "
                + judgement.size()
                + " passages for a window of "
                + window.size());
      }
      for (int k = 0; k < window.size(); k++) {
        RankedPassage ranked = judgement.ranking().get(k);
        int inputIndex = window.get(ranked.inputIndex());
        order.set(start + k, inputIndex);
        latest[inputIndex] = ranked.movedTo(inputIndex);
      }
      usage = usage.plus(judgement.usage());
      rawResponses.addAll(judgement.rawResponses());
      repairedMissing += judgement.repairedMissing();
      model = judgement.model();
      if (start == 0) {
        break;
      }
    }
    List<RankedPassage> ranking = new ArrayList<>(count);
    for (int index : order) {
      ranking.add(latest[index]);
    }
    return new TeacherJudgement(ranking, model, usage, rawResponses.build(), repairedMissing);
  }

  @Override
  public String model() {
    return windowTeacher.model();
  }

  @Override
  public String promptVersion() {
    return windowTeacher.promptVersion();
  }

  /** The window teacher's settings and this teacher's windows, which decide the merged ranking. */
  @Override
  public String answerSettings() {
    return "window=" + windowSize + ";step=" + step + ";" + windowTeacher.answerSettings();
  }

  @Override
  public String toString() {
    return "SlidingWindowTeacher{window="
        + windowSize
        + ", step="
        + step
        + ", "
        + windowTeacher
        + "}";
  }
}
