package io.github.r2r.training.teacher;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads how long a server asked the client to wait before retrying.
 *
 * <p>Understands {@code Retry-After} as delay-seconds or as an HTTP date (RFC 9110), and the
 * millisecond variant {@code retry-after-ms} that some OpenAI-compatible servers send, which wins
 * because it is more precise. Unreadable values are ignored (the client falls back to its own
 * back-off).
 */
final class RetryAfter {
  private RetryAfter() {}

  static Optional<Duration> from(HttpHeaders headers, Instant now) {
    Optional<Duration> millis =
        headers.firstValue("retry-after-ms").flatMap(RetryAfter::parseMillis);
    if (millis.isPresent()) {
      return millis;
    }
    return headers.firstValue("retry-after").flatMap(value -> parse(value, now));
  }

  static Optional<Duration> parse(String value, Instant now) {
    String trimmed = value.trim();
    try {
      long seconds = Long.parseLong(trimmed);
      return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(now, at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  private static Optional<Duration> parseMillis(String value) {
    try {
      double millis = Double.parseDouble(value.trim());
      return millis >= 0 && Double.isFinite(millis)
          ? Optional.of(Duration.ofNanos((long) (millis * 1_000_000)))
          : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
