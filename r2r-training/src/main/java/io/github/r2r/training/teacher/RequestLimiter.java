package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Caps how many requests are in flight at once and how many start within any sliding window of time
 * (requests per minute, the unit providers publish their rate limits in), and holds every start
 * while the server has asked all its clients to wait.
 */
final class RequestLimiter {
  private final Semaphore inFlight;
  private final int maxPerWindow;
  private final long windowNanos;
  private final ArrayDeque<Long> recentStarts = new ArrayDeque<>();
  /** No request starts before this {@link System#nanoTime()}; guarded by this. */
  private long pausedUntil;

  /**
   * @param maxConcurrent requests in flight at once, at least 1
   * @param maxPerWindow requests started within any {@code window}; 0 for no limit
   */
  RequestLimiter(int maxConcurrent, int maxPerWindow, Duration window) {
    checkArgument(maxConcurrent >= 1, "maxConcurrent must be >= 1, got %s", maxConcurrent);
    checkArgument(maxPerWindow >= 0, "requests per window must be >= 0, got %s", maxPerWindow);
    checkArgument(
        !window.isNegative() && !window.isZero(), "window must be positive, got %s", window);
    this.inFlight = new Semaphore(maxConcurrent, true);
    this.maxPerWindow = maxPerWindow;
    this.windowNanos = window.toNanos();
    this.pausedUntil = System.nanoTime();
  }

  /** Blocks until a request may start; every successful call must be paired with release(). */
  void acquire() throws InterruptedException {
    inFlight.acquire();
    try {
      awaitStart();
    } catch (InterruptedException e) {
      inFlight.release();
      throw e;
    }
  }

  void release() {
    inFlight.release();
  }

  /**
   * Holds every request start, in all threads, until {@code wait} from now has passed (a rate
   * limit's Retry-After applies to the client, not to the one request that got it). A shorter wait
   * never ends a longer one early.
   */
  synchronized void pauseFor(Duration wait) {
    long until = System.nanoTime() + wait.toNanos();
    if (until - pausedUntil > 0) {
      pausedUntil = until;
    }
  }

  private synchronized void awaitStart() throws InterruptedException {
    while (true) {
      long now = System.nanoTime();
      long paused = pausedUntil - now;
      if (paused > 0) {
        TimeUnit.NANOSECONDS.timedWait(this, paused);
        continue;
      }
      if (maxPerWindow == 0) {
        return;
      }
      while (!recentStarts.isEmpty() && now - recentStarts.peekFirst() >= windowNanos) {
        recentStarts.removeFirst();
      }
      if (recentStarts.size() < maxPerWindow) {
        recentStarts.addLast(now);
        return;
      }
      TimeUnit.NANOSECONDS.timedWait(this, windowNanos - (now - recentStarts.peekFirst()));
    }
  }
}
