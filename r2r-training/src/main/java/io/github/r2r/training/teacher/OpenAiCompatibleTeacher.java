package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A teacher behind any server that speaks the OpenAI chat-completions protocol: hosted APIs, vLLM,
 * Ollama, llama.cpp server, LiteLLM and the like.
 *
 * <p>Each judgement renders the {@link PromptTemplate}, asks at temperature 0 (with JSON mode
 * unless turned off), and parses the answer with the repair policy of {@link ResponseParser}: a few
 * missing passages are appended and counted; an answer that is not JSON, repeats or invents
 * identifiers, or misses too many passages is sent back to the model with the problem spelled out,
 * up to {@code maxAnswerAttempts} times. An answer cut off by the output token limit ({@code
 * finish_reason: "length"}) that cannot be used fails the judgement at once instead, naming the
 * limit: asked again with the same limit, it would be cut off again. Transport failures are retried by the {@link RetryPolicy};
 * see {@link ChatCompletionsClient} for which HTTP statuses stop the run.
 *
 * <p>The API key comes from {@link Builder#apiKey(String)} or, when none is given, from the {@value
 * ApiKey#ENVIRONMENT_VARIABLE} environment variable; local servers need none. It is sent only in
 * the {@code Authorization} header and is never logged or stored. Thread-safe.
 */
public final class OpenAiCompatibleTeacher implements Teacher {
  private static final System.Logger LOG =
      System.getLogger(OpenAiCompatibleTeacher.class.getName());

  /** The longest wait for a connection (the request timeout, if shorter, applies instead). */
  static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final ChatCompletionsClient client;
  private final String model;
  private final PromptTemplate template;
  private final ResponseParser parser;
  private final int maxAnswerAttempts;
  private final OptionalInt maxOutputTokens;
  private final String answerSettings;

  private OpenAiCompatibleTeacher(Builder builder, URI endpoint, Optional<ApiKey> apiKey) {
    this.model = builder.model;
    // The server is part of it because a local server answers under whatever model name it is given:
    // another model file behind the same name must not be served the first one's cached answers.
    this.answerSettings =
        "endpoint=" + endpoint
            + ";json_mode=" + builder.jsonMode
            + ";max_output_tokens=" + (builder.maxOutputTokens.isPresent() ? builder.maxOutputTokens.getAsInt() : "none")
            + ";max_missing_fraction=" + builder.maxMissingFraction;
    this.template = builder.template;
    this.parser = new ResponseParser(builder.maxMissingFraction);
    this.maxAnswerAttempts = builder.maxAnswerAttempts;
    this.maxOutputTokens = builder.maxOutputTokens;
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            // Connecting takes milliseconds when the server is there; waiting the whole request
            // timeout (for answers that take minutes) for a host that drops packets only delays the
            // "cannot connect" that stops the run.
            .connectTimeout(min(builder.requestTimeout, MAX_CONNECT_TIMEOUT))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.client =
        new ChatCompletionsClient(
            http,
            endpoint,
            builder.model,
            apiKey,
            builder.requestTimeout,
            builder.retryPolicy,
            new RequestLimiter(
                builder.maxConcurrentRequests, builder.requestsPerWindow, builder.rateWindow),
            builder.jsonMode,
            builder.maxOutputTokens);
  }

  /** {@return a new builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public TeacherJudgement judge(String query, List<Passage> passages) throws InterruptedException {
    checkNotNull(query, "query is null");
    checkArgument(!passages.isEmpty(), "no passages to judge for query '%s'", query);
    ImmutableList<ChatMessage> prompt = template.render(query, passages);
    List<ChatMessage> conversation = prompt;
    TokenUsage usage = TokenUsage.NONE;
    String lastProblem = "";
    for (int attempt = 1; attempt <= maxAnswerAttempts; attempt++) {
      ChatCompletion answer = client.complete(conversation);
      usage = usage.plus(answer.usage());
      try {
        ImmutableList<RankedPassage> ranking = parser.parse(answer.content(), passages.size());
        int repaired = (int) ranking.stream().filter(RankedPassage::repaired).count();
        if (repaired > 0) {
          LOG.log(
              System.Logger.Level.INFO,
              "{0} of {1} passages were missing from the answer and were appended (query ''{2}'')",
              repaired,
              passages.size(),
              query);
        }
        return new TeacherJudgement(
            ranking, answer.model(), usage, ImmutableList.of(answer.content()), repaired);
      } catch (InvalidResponseException e) {
        if ("length".equals(answer.finishReason())) {
          // Asking again with the same limit is cut off at the same place again, and each try
          // costs a full answer; only a larger limit helps.
          throw new TeacherException(cutOff(query, e.getMessage()));
        }
        lastProblem = e.getMessage();
        LOG.log(
            System.Logger.Level.WARNING,
            "unusable answer for query ''{0}'', attempt {1} of {2}: {3}",
            query,
            attempt,
            maxAnswerAttempts,
            lastProblem);
        conversation =
            ImmutableList.<ChatMessage>builder()
                .addAll(prompt)
                .add(ChatMessage.assistant(answer.content()))
                .add(ChatMessage.user(correction(lastProblem, passages.size())))
                .build();
      }
    }
    throw new TeacherException(
        "model '"
            + model
            + "' gave no usable ranking in "
            + maxAnswerAttempts
            + (maxAnswerAttempts == 1 ? " answer" : " answers")
            + " for query '"
            + query
            + "'; last problem: "
            + lastProblem);
  }

  private String cutOff(String query, String problem) {
    boolean sent = maxOutputTokens.isPresent();
    String limit =
        sent
            ? "was cut off at max_tokens=" + maxOutputTokens.getAsInt()
            : "was cut off by the server's output token limit (no max_tokens was sent)";
    return "the answer of model '"
        + model
        + "' for query '"
        + query
        + "' "
        + limit
        + " before the ranking was complete ("
        + problem
        + "): "
        + (sent ? "raise the output token limit" : "set a larger output token limit")
        + " (OpenAiCompatibleTeacher.Builder.maxOutputTokens, --max-tokens in LabelWithTeacher);"
        + " asking again with the same limit would be cut off again";
  }

  private static String correction(String problem, int count) {
    return "Your answer could not be used: "
        + problem
        + ". Answer again with only the JSON object, ranking each of the "
        + count
        + " passages exactly once by its identifier from 1 to "
        + count
        + ".";
  }

  @Override
  public String model() {
    return model;
  }

  /** The template's {@link PromptTemplate#cacheIdentity()}: its version and a fingerprint. */
  @Override
  public String promptVersion() {
    return template.cacheIdentity();
  }

  /**
   * The endpoint, JSON mode, output-token limit and repair policy ({@code maxMissingFraction}): with
   * another value of any of them the same question may get another answer.
   */
  @Override
  public String answerSettings() {
    return answerSettings;
  }

  /** {@return the tokens reported by every answer received so far, rejected ones and retries included} */
  public TokenUsage usage() {
    return client.usage();
  }

  /** {@return the number of HTTP requests sent so far, retries included} */
  public long requestsSent() {
    return client.requestsSent();
  }

  @Override
  public String toString() {
    return "OpenAiCompatibleTeacher{" + client + ", prompt=" + template.cacheIdentity() + "}";
  }

  /** Configures an {@link OpenAiCompatibleTeacher}; only the base URL and model are required. */
  public static final class Builder {
    private String baseUrl;
    private String model;
    private Optional<ApiKey> apiKey = Optional.empty();
    private PromptTemplate template = PromptTemplate.reasonToRank();
    private Duration requestTimeout = Duration.ofSeconds(120);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private int maxConcurrentRequests = 4;
    private int requestsPerWindow = 0;
    private Duration rateWindow = Duration.ofMinutes(1);
    private int maxAnswerAttempts = 3;
    private double maxMissingFraction = 0.5;
    private boolean jsonMode = true;
    private OptionalInt maxOutputTokens = OptionalInt.empty();

    private Builder() {}

    /**
     * The API root, e.g. {@code https://api.openai.com/v1} or {@code http://localhost:8000/v1};
     * {@code /chat/completions} is appended unless already there. Checked by {@link #build}.
     *
     * @param url the API root, not null
     * @return this builder
     * @throws NullPointerException if {@code url} is null
     */
    public Builder baseUrl(String url) {
      this.baseUrl = checkNotNull(url, "baseUrl is null");
      return this;
    }

    /**
     * The model name the server knows, e.g. {@code gpt-4o-mini} or {@code qwen2.5:7b}.
     *
     * @param name the model name, not blank
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Builder model(String name) {
      checkNotNull(name, "model is null");
      checkArgument(!name.isBlank(), "model is blank: '%s'", name);
      this.model = name;
      return this;
    }

    /**
     * The API key; overrides {@value ApiKey#ENVIRONMENT_VARIABLE}.
     *
     * @param key the key, non-blank and without whitespace
     * @return this builder
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code key} is blank or contains whitespace
     */
    public Builder apiKey(String key) {
      this.apiKey = Optional.of(ApiKey.of(key));
      return this;
    }

    /**
     * The prompt; default {@link PromptTemplate#reasonToRank()}.
     *
     * @param promptTemplate the template, not null
     * @return this builder
     * @throws NullPointerException if {@code promptTemplate} is null
     */
    public Builder promptTemplate(PromptTemplate promptTemplate) {
      this.template = checkNotNull(promptTemplate, "promptTemplate is null");
      return this;
    }

    /**
     * Longest wait for one whole answer, headers and body (and for connecting); a slower answer is
     * abandoned and retried. Default 120 seconds.
     *
     * @param timeout the timeout, positive
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder requestTimeout(Duration timeout) {
      checkNotNull(timeout, "requestTimeout is null");
      checkArgument(
          !timeout.isNegative() && !timeout.isZero(),
          "requestTimeout must be positive, got %s",
          timeout);
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * How failed requests are retried; default {@link RetryPolicy#defaults()}.
     *
     * @param policy the policy, not null
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = checkNotNull(policy, "retryPolicy is null");
      return this;
    }

    /**
     * Requests in flight at once, shared by all threads using this teacher; default 4.
     *
     * @param max the limit, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public Builder maxConcurrentRequests(int max) {
      checkArgument(max >= 1, "maxConcurrentRequests must be >= 1, got %s", max);
      this.maxConcurrentRequests = max;
      return this;
    }

    /**
     * Requests started within any minute, retries included; 0 (the default) for no limit.
     *
     * @param max the limit, at least 0
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public Builder requestsPerMinute(int max) {
      return requestsPerWindow(max, Duration.ofMinutes(1));
    }

    /** Like {@link #requestsPerMinute(int)} over another window; lets tests run fast. */
    Builder requestsPerWindow(int max, Duration window) {
      checkArgument(max >= 0, "requestsPerMinute must be >= 0, got %s", max);
      this.requestsPerWindow = max;
      this.rateWindow = checkNotNull(window, "window is null");
      return this;
    }

    /**
     * Answers asked for per judgement before giving up on unusable ones; default 3.
     *
     * @param attempts the limit, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code attempts} is less than 1
     */
    public Builder maxAnswerAttempts(int attempts) {
      checkArgument(attempts >= 1, "maxAnswerAttempts must be >= 1, got %s", attempts);
      this.maxAnswerAttempts = attempts;
      return this;
    }

    /**
     * Largest share of passages that may be missing from an answer and still be repaired by
     * appending them; default 0.5. Use 0 to ask again whenever one is missing.
     *
     * @param fraction the share, in [0, 1)
     * @return this builder
     * @throws IllegalArgumentException if {@code fraction} is outside [0, 1)
     */
    public Builder maxMissingFraction(double fraction) {
      checkArgument(
          fraction >= 0 && fraction < 1, "maxMissingFraction must be in [0, 1), got %s", fraction);
      this.maxMissingFraction = fraction;
      return this;
    }

    /**
     * Whether to send {@code response_format: {"type": "json_object"}}; default true. Turn off for
     * servers that reject the field.
     *
     * @param enabled whether to ask for JSON mode
     * @return this builder
     */
    public Builder jsonMode(boolean enabled) {
      this.jsonMode = enabled;
      return this;
    }

    /**
     * Sends {@code max_tokens}; by default the server decides. An answer cut off at the limit that
     * holds no complete ranking fails its judgement at once, without asking again.
     *
     * @param max the limit in tokens, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public Builder maxOutputTokens(int max) {
      checkArgument(max >= 1, "maxOutputTokens must be >= 1, got %s", max);
      this.maxOutputTokens = OptionalInt.of(max);
      return this;
    }

    /**
     * The teacher.
     *
     * @return a teacher configured as this builder is now; the key, if none was given, is read from
     *     {@value ApiKey#ENVIRONMENT_VARIABLE}
     * @throws IllegalStateException if the base URL or model is missing
     * @throws IllegalArgumentException if the base URL is not an http(s) URL, or if an API key would
     *     travel in clear text (plain http) to another machine, or if no key was given and the one in
     *     {@value ApiKey#ENVIRONMENT_VARIABLE} contains whitespace
     */
    public OpenAiCompatibleTeacher build() {
      checkState(baseUrl != null, "baseUrl was not set");
      checkState(model != null, "model was not set");
      Optional<ApiKey> key = apiKey.isPresent() ? apiKey : ApiKey.fromEnvironment();
      URI endpoint = endpoint(baseUrl);
      checkArgument(
          key.isEmpty() || !"http".equalsIgnoreCase(endpoint.getScheme()) || isThisMachine(endpoint.getHost()),
          "refusing to send an API key (%s) in clear text to %s: use https, or, if that server needs no key,"
              + " leave the key out (unset %s)",
          apiKey.isPresent() ? "given to apiKey(...)" : "from " + ApiKey.ENVIRONMENT_VARIABLE,
          endpoint,
          ApiKey.ENVIRONMENT_VARIABLE);
      return new OpenAiCompatibleTeacher(this, endpoint, key);
    }

    /**
     * Whether {@code host} names this machine (by name or loopback address; no lookup, so no network
     * request), where plain http never leaves the machine.
     */
    static boolean isThisMachine(String host) {
      return host.equalsIgnoreCase("localhost")
          || host.matches("127(\\.\\d{1,3}){3}")
          || host.equals("[::1]")
          || host.equals("::1");
    }

    static URI endpoint(String baseUrl) {
      String trimmed = baseUrl.strip();
      while (trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      String url = trimmed.endsWith("/chat/completions") ? trimmed : trimmed + "/chat/completions";
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("baseUrl is not a valid URL: '" + baseUrl + "'", e);
      }
      checkArgument(
          "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()),
          "baseUrl must start with http:// or https://, got '%s'",
          baseUrl);
      checkArgument(uri.getHost() != null, "baseUrl has no host: '%s'", baseUrl);
      checkArgument(
          uri.getUserInfo() == null, "baseUrl must not contain credentials; use an API key");
      return uri;
    }
  }
}
