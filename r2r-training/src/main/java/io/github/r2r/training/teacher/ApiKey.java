package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;
import java.util.Optional;

/**
 * A secret API key that cannot leak by accident: {@link #toString()} never shows it, and text that
 * came back from a server passes through {@link #redact(String)} before it reaches a log line, an
 * exception message or a file.
 *
 * <p>Validation messages deliberately do not echo the bad value, unlike other checks in this
 * project: the value is a secret.
 */
public final class ApiKey {
  /** The environment variable read by {@link #fromEnvironment()}, as in OpenAI's own clients. */
  public static final String ENVIRONMENT_VARIABLE = "OPENAI_API_KEY";

  private static final String REDACTED = "[redacted]";

  private final String secret;

  private ApiKey(String secret) {
    this.secret = secret;
  }

  /**
   * The given key; it must be non-blank and free of whitespace (it goes into an HTTP header).
   *
   * @param secret the key
   * @return the key, wrapped
   * @throws NullPointerException if {@code secret} is null
   * @throws IllegalArgumentException if {@code secret} is blank or contains whitespace (the message
   *     does not show it)
   */
  public static ApiKey of(String secret) {
    checkNotNull(secret, "API key is null");
    checkArgument(!secret.isBlank(), "API key is blank");
    checkArgument(
        secret.chars().noneMatch(Character::isWhitespace),
        "API key contains whitespace (value not shown)");
    return new ApiKey(secret);
  }

  /**
   * The key in {@value #ENVIRONMENT_VARIABLE}, if that variable is set and not blank.
   *
   * @return the variable's value, stripped, or empty if it is unset or blank
   * @throws IllegalArgumentException if the stripped value contains whitespace
   */
  public static Optional<ApiKey> fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  static Optional<ApiKey> fromEnvironment(Map<String, String> environment) {
    String value = environment.get(ENVIRONMENT_VARIABLE);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(of(value.strip()));
  }

  String authorizationHeaderValue() {
    return "Bearer " + secret;
  }

  /**
   * Hides the key in text that may contain it.
   *
   * @param text the text, e.g. a server's answer
   * @return {@code text} with every occurrence of the key replaced by {@code [redacted]}
   */
  public String redact(String text) {
    return text.replace(secret, REDACTED);
  }

  @Override
  public String toString() {
    return "ApiKey" + REDACTED;
  }
}
