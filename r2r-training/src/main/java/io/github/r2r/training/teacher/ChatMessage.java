package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableSet;

/** One message of a chat-completions conversation. */
public record ChatMessage(String role, String content) {
  private static final ImmutableSet<String> ROLES = ImmutableSet.of("system", "user", "assistant");

  public ChatMessage {
    checkArgument(ROLES.contains(role), "role must be one of %s, got '%s'", ROLES, role);
    checkNotNull(content, "content of a %s message is null", role);
  }

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
