package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableSet;

/**
 * One message of a chat-completions conversation.
 *
 * @param role {@code system}, {@code user} or {@code assistant}
 * @param content the message text, not null
 */
public record ChatMessage(String role, String content) {
  private static final ImmutableSet<String> ROLES = ImmutableSet.of("system", "user", "assistant");

  /**
   * Checks the components.
   *
   * @param role {@code system}, {@code user} or {@code assistant}
   * @param content the message text, not null
   * @throws IllegalArgumentException if {@code role} is not one of the three
   * @throws NullPointerException if {@code content} is null
   */
  public ChatMessage {
    checkArgument(ROLES.contains(role), "role must be one of %s, got '%s'", ROLES, role);
    checkNotNull(content, "content of a %s message is null", role);
  }

  /**
   * A system message.
   *
   * @param content the message text
   * @return the message
   */
  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  /**
   * A user message.
   *
   * @param content the message text
   * @return the message
   */
  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  /**
   * An assistant message.
   *
   * @param content the message text
   * @return the message
   */
  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
