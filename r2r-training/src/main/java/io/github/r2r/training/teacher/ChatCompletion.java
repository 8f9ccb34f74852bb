package io.github.r2r.training.teacher;

/**
 * One answer of a chat-completions server.
 *
 * @param content the assistant message text ("" when the server sent none)
 * @param model the model that answered, as the server named it
 * @param usage tokens the server reported for this call
 * @param finishReason why generation stopped ({@code "length"} means the answer was cut off); ""
 *     when not reported
 */
record ChatCompletion(String content, String model, TokenUsage usage, String finishReason) {}
