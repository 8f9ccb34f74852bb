package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends chat-completions requests and survives what a long labelling run meets: rate limits, busy
 * or failing servers, slow answers, dropped connections.
 *
 * <p>Retried with {@link RetryPolicy} back-off: HTTP 408, 409, 425, 429 (honouring {@code
 * Retry-After}) and 5xx, timeouts, I/O errors, and 2xx bodies that are not a chat completion. Stops
 * the run ({@link FatalTeacherException}): 401, 403, 404, and a server that cannot be reached at
 * all after every attempt. Fails this request only ({@link TeacherException}): other 4xx, and
 * exhausted retries. Everything a server sends back is passed through {@link ApiKey#redact(String)}
 * first, so an echoed key never reaches a message, a log or a file.
 */
final class ChatCompletionsClient {
  private static final System.Logger LOG = System.getLogger(ChatCompletionsClient.class.getName());
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
  private static final int BODY_PREVIEW_CHARS = 300;

  private final HttpClient http;
  private final URI endpoint;
  private final String model;
  private final Optional<ApiKey> apiKey;
  private final Duration requestTimeout;
  private final RetryPolicy retryPolicy;
  private final RequestLimiter limiter;
  private final boolean jsonMode;
  private final OptionalInt maxOutputTokens;

  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong completionTokens = new AtomicLong();
  private final AtomicLong requestsSent = new AtomicLong();

  ChatCompletionsClient(
      HttpClient http,
      URI endpoint,
      String model,
      Optional<ApiKey> apiKey,
      Duration requestTimeout,
      RetryPolicy retryPolicy,
      RequestLimiter limiter,
      boolean jsonMode,
      OptionalInt maxOutputTokens) {
    this.http = checkNotNull(http);
    this.endpoint = checkNotNull(endpoint);
    this.model = checkNotNull(model);
    this.apiKey = checkNotNull(apiKey);
    this.requestTimeout = checkNotNull(requestTimeout);
    this.retryPolicy = checkNotNull(retryPolicy);
    this.limiter = checkNotNull(limiter);
    this.jsonMode = jsonMode;
    this.maxOutputTokens = checkNotNull(maxOutputTokens);
  }

  /** Tokens reported by every answer this client received. */
  TokenUsage usage() {
    return new TokenUsage(promptTokens.get(), completionTokens.get());
  }

  /** HTTP requests sent, retries included. */
  long requestsSent() {
    return requestsSent.get();
  }

  /** Asks for the next assistant message of {@code messages}, retrying passing failures. */
  ChatCompletion complete(List<ChatMessage> messages) throws InterruptedException {
    HttpRequest request = request(requestBody(messages));
    for (int attempt = 1; ; attempt++) {
      try {
        return send(request);
      } catch (PassingFailure failure) {
        if (attempt == retryPolicy.maxAttempts()) {
          String message = exhausted(attempt, failure.getMessage());
          throw failure.unreachable
              ? new FatalTeacherException(message + "; is the server running at that address?")
              : new TeacherException(message);
        }
        Duration backoff = retryPolicy.backoff(attempt, ThreadLocalRandom.current()::nextDouble);
        Duration wait =
            failure.serverWait.filter(asked -> asked.compareTo(backoff) > 0).orElse(backoff);
        LOG.log(
            System.Logger.Level.WARNING,
            "{0}; attempt {1} of {2} failed, retrying in {3} ms",
            failure.getMessage(),
            attempt,
            retryPolicy.maxAttempts(),
            Long.toString(wait.toMillis()));
        Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
      }
    }
  }

  /** One attempt: an answer, a passing failure worth retrying, or a TeacherException. */
  private ChatCompletion send(HttpRequest request) throws InterruptedException, PassingFailure {
    limiter.acquire();
    try {
      requestsSent.incrementAndGet();
      // The slot is held until the answer is read, so that a wait the server asks for (429) holds
      // every other worker before any of them can start another request.
      return read(exchange(request));
    } finally {
      limiter.release();
    }
  }

  /**
   * The response, headers and body both within the request timeout. HttpRequest.timeout alone
   * stops at the headers: a server that sends them and then stalls the body would hold the worker
   * forever.
   */
  private HttpResponse<String> exchange(HttpRequest request)
      throws InterruptedException, PassingFailure {
    CompletableFuture<HttpResponse<String>> exchange =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    try {
      return exchange.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw timedOut();
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    } finally {
      // Aborts the exchange and closes its connection when it is still running (timeout,
      // interrupt); a no-op once it has completed.
      exchange.cancel(true);
    }
  }

  private PassingFailure failure(Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      // Before its superclass HttpTimeoutException: no connection at all (a host that drops packets)
      // is an unreachable server, not a slow answer, and must stop the run like a refused connection.
      return PassingFailure.unreachable("cannot connect to " + endpoint + " (connect timeout)");
    }
    if (cause instanceof HttpTimeoutException) {
      return timedOut();
    }
    if (cause instanceof ConnectException) {
      return PassingFailure.unreachable(
          "cannot connect to " + endpoint + " (" + cause.getClass().getSimpleName() + ")");
    }
    if (cause instanceof IOException) {
      return new PassingFailure(
          "I/O error talking to " + endpoint + ": " + redact(String.valueOf(cause.getMessage())));
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    throw new IllegalStateException("unexpected failure of the HTTP client", cause);
  }

  private PassingFailure timedOut() {
    return new PassingFailure(
        "no answer within the request timeout of " + requestTimeout.toMillis() + " ms");
  }

  /** The answer in {@code response}, or why there is none. */
  private ChatCompletion read(HttpResponse<String> response) throws PassingFailure {
    int status = response.statusCode();
    String body = redact(response.body());
    if (status >= 200 && status < 300) {
      try {
        return readCompletion(body);
      } catch (RuntimeException notACompletion) {
        // Gson signals malformed or unexpected shapes with several unchecked exceptions; all mean
        // the same here: a proxy or a broken server answered, which is worth asking again.
        throw new PassingFailure(
            "HTTP " + status + " with a body that is not a chat completion: " + preview(body));
      }
    }
    if (status == 401 || status == 403) {
      throw new FatalTeacherException(
          "the server at "
              + endpoint
              + " refused the request with HTTP "
              + status
              + (apiKey.isPresent()
                  ? ": check that the API key is valid and allowed to use model '" + model + "'"
                  : ": no API key was given; set " + ApiKey.ENVIRONMENT_VARIABLE)
              + ". Server said: "
              + preview(body));
    }
    if (status == 404) {
      throw new FatalTeacherException(
          "HTTP 404 from "
              + endpoint
              + ": check the base URL (it usually ends in /v1) and the model name '"
              + model
              + "'. Server said: "
              + preview(body));
    }
    if (!isRetryable(status)) {
      throw new TeacherException(
          "the server at "
              + endpoint
              + " rejected the request with HTTP "
              + status
              + " (not retried): "
              + preview(body));
    }
    Optional<Duration> asked = RetryAfter.from(response.headers(), Instant.now());
    if (asked.isPresent() && asked.get().compareTo(retryPolicy.maxRetryAfter()) > 0) {
      throw new TeacherException(
          "HTTP "
              + status
              + " from "
              + endpoint
              + ": the server asked to retry after "
              + asked.get().toSeconds()
              + " s, longer than the limit of "
              + retryPolicy.maxRetryAfter().toSeconds()
              + " s (RetryPolicy.maxRetryAfter)");
    }
    // Every worker shares the server's rate limit, so its asked-for wait holds them all.
    asked.ifPresent(limiter::pauseFor);
    throw new PassingFailure("HTTP " + status + ": " + preview(body), asked, false);
  }

  private static boolean isRetryable(int status) {
    return status == 408 || status == 409 || status == 425 || status == 429 || status >= 500;
  }

  private String exhausted(int attempts, String lastFailure) {
    return "request to "
        + endpoint
        + " failed "
        + attempts
        + (attempts == 1 ? " time" : " times")
        + "; last failure: "
        + lastFailure;
  }

  private HttpRequest request(String body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    apiKey.ifPresent(key -> builder.header("Authorization", key.authorizationHeaderValue()));
    return builder.build();
  }

  private String requestBody(List<ChatMessage> messages) {
    JsonObject body = new JsonObject();
    body.addProperty("model", model);
    JsonArray array = new JsonArray();
    for (ChatMessage message : messages) {
      JsonObject json = new JsonObject();
      json.addProperty("role", message.role());
      json.addProperty("content", message.content());
      array.add(json);
    }
    body.add("messages", array);
    body.addProperty("temperature", 0);
    body.addProperty("stream", false);
    if (jsonMode) {
      JsonObject format = new JsonObject();
      format.addProperty("type", "json_object");
      body.add("response_format", format);
    }
    maxOutputTokens.ifPresent(max -> body.addProperty("max_tokens", max));
    return GSON.toJson(body);
  }

  private ChatCompletion readCompletion(String body) {
    JsonObject root = JsonParser.parseString(body).getAsJsonObject();
    JsonArray choices = root.getAsJsonArray("choices");
    if (choices == null || choices.isEmpty()) {
      throw new IllegalStateException("no choices");
    }
    JsonObject choice = choices.get(0).getAsJsonObject();
    JsonObject message = choice.getAsJsonObject("message");
    if (message == null) {
      throw new IllegalStateException("no message");
    }
    String content = stringOr(message.get("content"), "");
    String finishReason = stringOr(choice.get("finish_reason"), "");
    String answeringModel = stringOr(root.get("model"), model);
    TokenUsage usage = TokenUsage.NONE;
    if (root.get("usage") != null && root.get("usage").isJsonObject()) {
      JsonObject u = root.getAsJsonObject("usage");
      usage = new TokenUsage(tokenCount(u, "prompt_tokens"), tokenCount(u, "completion_tokens"));
    }
    promptTokens.addAndGet(usage.promptTokens());
    completionTokens.addAndGet(usage.completionTokens());
    return new ChatCompletion(content, answeringModel, usage, finishReason);
  }

  private static String stringOr(JsonElement element, String fallback) {
    return element != null && element.isJsonPrimitive() ? element.getAsString() : fallback;
  }

  /**
   * A usage count, 0 when missing; one that is not a number (e.g. {@code "n/a"}) counts 0 too, with a
   * warning. Usage is bookkeeping: failing here would throw away a usable answer that was paid for and
   * ask for it again, as if the body were no chat completion.
   */
  private static long tokenCount(JsonObject usage, String key) {
    JsonElement element = usage.get(key);
    if (element == null || element.isJsonNull()) {
      return 0;
    }
    try {
      if (element.isJsonPrimitive()) {
        return Math.max(0, element.getAsLong());
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "usage." + key + " of a chat completion is not a number (" + preview(element.toString())
            + "): counted as 0 tokens, the answer is kept");
    return 0;
  }

  private String redact(String text) {
    return apiKey.map(key -> key.redact(text)).orElse(text);
  }

  private static String preview(String body) {
    String flat = body.strip().replaceAll("\\s+", " ");
    return flat.isEmpty()
        ? "(empty body)"
        : flat.length() <= BODY_PREVIEW_CHARS
            ? flat
            : flat.substring(0, BODY_PREVIEW_CHARS) + "...";
  }

  @Override
  public String toString() {
    return "ChatCompletionsClient{"
        + endpoint
        + ", model="
        + model
        + ", apiKey="
        + (apiKey.isPresent() ? "set" : "none")
        + "}";
  }

  /** A failure that may pass: the request is worth sending again after a wait. */
  private static final class PassingFailure extends Exception {
    private static final long serialVersionUID = 1L;

    final transient Optional<Duration> serverWait;
    final boolean unreachable;

    PassingFailure(String message) {
      this(message, Optional.empty(), false);
    }

    PassingFailure(String message, Optional<Duration> serverWait, boolean unreachable) {
      super(message, null, false, false);
      this.serverWait = serverWait;
      this.unreachable = unreachable;
    }

    static PassingFailure unreachable(String message) {
      return new PassingFailure(message, Optional.empty(), true);
    }
  }
}
