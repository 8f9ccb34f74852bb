package io.github.r2r.training.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final RetryPolicy POLICY =
      new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofMinutes(1));

  @Test
  void backoffDoublesUpToTheCeiling() {
    assertEquals(Duration.ofMillis(75), POLICY.backoff(1, () -> 0.5));
    assertEquals(Duration.ofMillis(50), POLICY.backoff(1, () -> 0.0));
    assertEquals(Duration.ofMillis(150), POLICY.backoff(2, () -> 0.5));
    assertEquals(Duration.ofMillis(300), POLICY.backoff(3, () -> 0.5));
    assertEquals(Duration.ofMillis(600), POLICY.backoff(4, () -> 0.5));
    assertEquals(Duration.ofMillis(750), POLICY.backoff(5, () -> 0.5));
    assertEquals(Duration.ofMillis(500), POLICY.backoff(60, () -> 0.0));
  }

  @Property
  void jitteredBackoffStaysBetweenHalfAndAllOfTheBase(
      @ForAll @IntRange(min = 1, max = 100) int attempt,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
    long base = Math.min(1000, 100L << Math.min(attempt - 1, 20));

    long millis = POLICY.backoff(attempt, () -> random).toMillis();

    assertTrue(millis >= base / 2 && millis <= base, attempt + " -> " + millis);
  }

  @Test
  void invalidPoliciesAreRejectedWithAMessage() {
    IllegalArgumentException attempts =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    assertEquals("maxAttempts must be >= 1, got 0", attempts.getMessage());
    IllegalArgumentException ceiling =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO));
    assertEquals("maxBackoff PT1S is shorter than initialBackoff PT2S", ceiling.getMessage());
    IllegalArgumentException attempt =
        assertThrows(IllegalArgumentException.class, () -> POLICY.backoff(0, () -> 0));
    assertEquals("attempt must be >= 1, got 0", attempt.getMessage());
  }

  @Test
  void retryAfterReadsSecondsDatesAndMilliseconds() {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");

    assertEquals(Optional.of(Duration.ofSeconds(7)), RetryAfter.parse(" 7 ", now));
    assertEquals(
        Optional.of(Duration.ofSeconds(30)),
        RetryAfter.parse("Wed, 01 Jan 2025 00:00:30 GMT", now));
    assertEquals(
        Optional.of(Duration.ZERO), RetryAfter.parse("Tue, 31 Dec 2024 23:00:00 GMT", now));
    assertEquals(Optional.empty(), RetryAfter.parse("soon", now));
    assertEquals(Optional.empty(), RetryAfter.parse("-3", now));
    assertEquals(
        Optional.of(Duration.ofMillis(250)),
        RetryAfter.from(headers(Map.of("Retry-After", "9", "retry-after-ms", "250")), now));
    assertEquals(
        Optional.of(Duration.ofSeconds(9)),
        RetryAfter.from(headers(Map.of("Retry-After", "9", "retry-after-ms", "x")), now));
    assertEquals(Optional.empty(), RetryAfter.from(headers(Map.of()), now));
  }

  private static HttpHeaders headers(Map<String, String> values) {
    Map<String, List<String>> multi = new java.util.HashMap<>();
    values.forEach((k, v) -> multi.put(k, List.of(v)));
    return HttpHeaders.of(multi, (k, v) -> true);
  }
}
