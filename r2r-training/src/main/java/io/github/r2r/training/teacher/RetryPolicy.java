package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How often and how patiently to retry a request that failed for a passing reason (429, 5xx,
 * timeout, dropped connection).
 *
 * <p>The wait before attempt {@code k + 1} is exponential with "equal jitter": a uniformly random
 * point in {@code [b/2, b]} where {@code b = min(maxBackoff, initialBackoff * 2^(k-1))}, so that
 * many workers rate-limited together do not all come back at the same instant. When the server says
 * how long to wait ({@code Retry-After}), the wait is the longer of the two; a server asking for
 * more than {@code maxRetryAfter} ends the retries with an error instead of stalling the run.
 *
 * @param maxAttempts total attempts per request, the first included (1 = never retry)
 * @param initialBackoff base wait after the first failure
 * @param maxBackoff ceiling of the exponential base wait
 * @param maxRetryAfter longest server-requested wait that is honoured
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

  /**
   * Checks the components.
   *
   * @param maxAttempts total attempts per request, at least 1
   * @param initialBackoff base wait after the first failure, non-negative
   * @param maxBackoff ceiling of the exponential base wait, at least {@code initialBackoff}
   * @param maxRetryAfter longest server-requested wait that is honoured, non-negative
   * @throws NullPointerException if a duration is null
   * @throws IllegalArgumentException if a value is out of its range
   */
  public RetryPolicy {
    checkArgument(maxAttempts >= 1, "maxAttempts must be >= 1, got %s", maxAttempts);
    checkNotNull(initialBackoff, "initialBackoff is null");
    checkNotNull(maxBackoff, "maxBackoff is null");
    checkNotNull(maxRetryAfter, "maxRetryAfter is null");
    checkArgument(
        !initialBackoff.isNegative(), "initialBackoff must be >= 0, got %s", initialBackoff);
    checkArgument(
        maxBackoff.compareTo(initialBackoff) >= 0,
        "maxBackoff %s is shorter than initialBackoff %s",
        maxBackoff,
        initialBackoff);
    checkArgument(!maxRetryAfter.isNegative(), "maxRetryAfter must be >= 0, got %s", maxRetryAfter);
  }

  /** {@return six attempts, waits from 1 s doubling up to 60 s, honouring Retry-After up to 5 minutes} */
  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5));
  }

  /**
   * The wait after failed attempt {@code attempt} (1-based): the base wait, doubled per earlier
   * attempt up to {@code maxBackoff}, times a random factor in [0.5, 1).
   *
   * @param attempt the 1-based number of the attempt that failed
   * @param random a source of uniform numbers in [0, 1)
   * @return the wait
   * @throws IllegalArgumentException if {@code attempt} is less than 1
   */
  public Duration backoff(int attempt, DoubleSupplier random) {
    checkArgument(attempt >= 1, "attempt must be >= 1, got %s", attempt);
    long initialNanos = initialBackoff.toNanos();
    long maxNanos = maxBackoff.toNanos();
    long base = initialNanos;
    for (int i = 1; i < attempt && base < maxNanos; i++) {
      base = base > maxNanos / 2 ? maxNanos : base * 2;
    }
    base = Math.min(base, maxNanos);
    double fraction = 0.5 + 0.5 * random.getAsDouble();
    return Duration.ofNanos((long) (base * fraction));
  }
}
