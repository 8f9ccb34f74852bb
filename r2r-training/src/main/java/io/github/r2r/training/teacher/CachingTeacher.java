package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers from a {@link JudgementStore} when the same question was paid for before, and records
 * every new answer there before returning it. Put it directly around the teacher that makes the
 * calls (below a {@link SlidingWindowTeacher}), so each window is recorded as soon as it is done.
 *
 * <p>A failure to record throws {@link UncheckedIOException}: carrying on without the durable
 * record would risk paying again after a crash, so the run should stop.
 */
public final class CachingTeacher implements Teacher {
  private final Teacher delegate;
  private final JudgementStore store;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /**
   * A teacher that answers from {@code store} when it can and records every new judgement in it.
   *
   * @param delegate the teacher asked on a cache miss
   * @param store the store; the caller closes it
   * @throws NullPointerException if {@code delegate} or {@code store} is null
   */
  public CachingTeacher(Teacher delegate, JudgementStore store) {
    this.delegate = checkNotNull(delegate, "delegate is null");
    this.store = checkNotNull(store, "store is null");
  }

  @Override
  public TeacherJudgement judge(String query, List<Passage> passages) throws InterruptedException {
    String model = delegate.model();
    String promptVersion = delegate.promptVersion();
    String settings = delegate.answerSettings();
    Optional<TeacherJudgement> stored =
        store.find(JudgementStore.key(model, promptVersion, settings, query, passages));
    if (stored.isPresent()) {
      hits.incrementAndGet();
      return stored.get();
    }
    misses.incrementAndGet();
    TeacherJudgement judgement = delegate.judge(query, passages);
    try {
      store.put(model, promptVersion, settings, query, passages, judgement);
    } catch (IOException e) {
      throw new UncheckedIOException("could not record a judgement in " + store.path(), e);
    }
    return judgement;
  }

  /** {@return the number of judgements answered from the store} */
  public long hits() {
    return hits.get();
  }

  /** {@return the number of judgements that had to be asked of the delegate} */
  public long misses() {
    return misses.get();
  }

  @Override
  public String model() {
    return delegate.model();
  }

  @Override
  public String promptVersion() {
    return delegate.promptVersion();
  }

  @Override
  public String answerSettings() {
    return delegate.answerSettings();
  }

  @Override
  public String toString() {
    return "CachingTeacher{" + delegate + ", " + store + "}";
  }
}
