package io.github.r2r.training.teacher;

import java.util.List;

/**
 * Ranks candidate passages for a query and explains the ranking.
 *
 * <p>Implementations return a judgement that covers every passage exactly once, or throw: a {@link
 * FatalTeacherException} when no further call can succeed (bad credentials, wrong URL or model), a
 * {@link TeacherException} when this list could not be judged. They never return a judgement that
 * hides a repair: {@link TeacherJudgement#repairedMissing()} says what was fixed.
 */
public interface Teacher {

  /**
   * Judges {@code passages} for {@code query}.
   *
   * @param query the query text
   * @param passages the candidates, not empty, in the order shown to the teacher
   * @return a judgement covering every passage exactly once
   * @throws FatalTeacherException if no further call can succeed (credentials, URL, model)
   * @throws TeacherException if this list could not be judged
   * @throws IllegalArgumentException if {@code passages} is empty
   * @throws InterruptedException if the calling thread is interrupted while waiting for an answer;
   *     nothing is recorded for the interrupted call
   */
  TeacherJudgement judge(String query, List<Passage> passages) throws InterruptedException;

  /** {@return the model asked, as configured; part of every cache key} */
  String model();

  /** {@return the version of the prompt used; part of every cache key} */
  String promptVersion();

  /**
   * Everything else that changes what this teacher answers for the same model, prompt and input (the
   * server, output limits, the repair policy), in one canonical string; part of every cache key, so
   * that a cache never serves an answer given under other settings. Empty by default, which keeps the
   * keys of teachers without such settings as they were.
   *
   * @return the settings, or {@code ""} for none
   */
  default String answerSettings() {
    return "";
  }
}
