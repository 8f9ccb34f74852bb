package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A versioned prompt that asks for a ranking with reasons, in the JSON shape {@link ResponseParser}
 * reads: {@code {"ranked_passages": [{"identifier", "direct_reason", "listwise_reason",
 * "direct_answer_sentence"}, ...]}}.
 *
 * <p>The user message may contain three placeholders, replaced in one pass (so a query that happens
 * to contain a placeholder is left alone): {@code ${query}}, {@code ${count}} (number of passages)
 * and {@code ${passages}} (one {@code [i] text} line per passage, 1-based, each text cut to the
 * word budget). The system message is sent as is.
 *
 * <p>The {@link #version()} names the template in training records; the {@link #cacheIdentity()}
 * adds a fingerprint of the texts and budget so that editing a template without bumping its version
 * never serves answers cached for the old wording.
 */
public final class PromptTemplate {
  /** Version of the built-in {@link #reasonToRank()} template. */
  public static final String REASON_TO_RANK_VERSION = "r2r-listwise-json-v1";

  /** Default number of words of each passage shown to the teacher. */
  public static final int DEFAULT_WORD_BUDGET = 200;

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(query|count|passages)}");
  private static final Splitter WORDS = Splitter.on(Pattern.compile("\\s+")).omitEmptyStrings();

  private static final String REASON_TO_RANK_SYSTEM =
      "You are RankGPT, an intelligent assistant that ranks passages by their relevance to a"
          + " search query and explains each decision.";

  private static final String REASON_TO_RANK_USER =
      """
      I will give you ${count} passages, each marked by a numerical identifier in brackets, \
      [1] to [${count}]. Rank them by their relevance to the search query: ${query}

      ${passages}

      Search query: ${query}

      Rank all ${count} passages from most to least relevant. For every passage give:
      - "identifier": its number, from 1 to ${count}; use each number exactly once;
      - "direct_reason": one sentence on how the passage itself addresses the query;
      - "listwise_reason": one sentence on why it is ranked above or below the other passages;
      - "direct_answer_sentence": the sentence of the passage, copied verbatim, that best \
      answers the query, or "" if none does.
      Answer with only a JSON object, most relevant passage first, listing all ${count} \
      passages:
      {"ranked_passages": [{"identifier": 2, "direct_reason": "...", \
      "listwise_reason": "...", "direct_answer_sentence": "..."}, ...]}
      """;

  private final String version;
  private final String systemMessage;
  private final String userMessage;
  private final int wordBudget;

  private PromptTemplate(String version, String systemMessage, String userMessage, int wordBudget) {
    this.version = version;
    this.systemMessage = systemMessage;
    this.userMessage = userMessage;
    this.wordBudget = wordBudget;
  }

  /** {@return the Reason-to-Rank listwise prompt: direct and comparative reasons as JSON} */
  public static PromptTemplate reasonToRank() {
    return of(
        REASON_TO_RANK_VERSION, REASON_TO_RANK_SYSTEM, REASON_TO_RANK_USER, DEFAULT_WORD_BUDGET);
  }

  /**
   * A user-supplied template.
   *
   * @param version a name for this wording; change it whenever the meaning of the prompt changes
   * @param systemMessage sent unchanged; may be empty to send no system message
   * @param userMessage must contain {@code ${passages}} and {@code ${query}}
   * @param wordBudget maximum words of each passage shown, at least 1
   * @return the template
   * @throws NullPointerException if a string is null
   * @throws IllegalArgumentException if {@code version} is blank, {@code userMessage} lacks a
   *     placeholder, or {@code wordBudget} is less than 1
   */
  public static PromptTemplate of(
      String version, String systemMessage, String userMessage, int wordBudget) {
    checkNotNull(version, "version is null");
    checkNotNull(systemMessage, "systemMessage is null (use \"\" for none)");
    checkNotNull(userMessage, "userMessage is null");
    checkArgument(!version.isBlank(), "version is blank: '%s'", version);
    checkArgument(
        userMessage.contains("${passages}"),
        "userMessage has no ${passages} placeholder: '%s'",
        userMessage);
    checkArgument(
        userMessage.contains("${query}"),
        "userMessage has no ${query} placeholder: '%s'",
        userMessage);
    checkArgument(wordBudget >= 1, "wordBudget must be >= 1, got %s", wordBudget);
    return new PromptTemplate(version, systemMessage, userMessage, wordBudget);
  }

  /**
   * The same wording with another word budget (the cache identity changes with it).
   *
   * @param newWordBudget maximum words of each passage shown, at least 1
   * @return a new template
   * @throws IllegalArgumentException if {@code newWordBudget} is less than 1
   */
  public PromptTemplate withWordBudget(int newWordBudget) {
    return of(version, systemMessage, userMessage, newWordBudget);
  }

  /** {@return the name given to this wording} */
  public String version() {
    return version;
  }

  /** {@return the maximum words of each passage shown} */
  public int wordBudget() {
    return wordBudget;
  }

  /**
   * {@return {@link #version()}, {@code #} and a 12-hex-digit fingerprint of the wording and budget,
   * for cache keys}
   */
  public String cacheIdentity() {
    String fingerprint =
        Hashing.sha256()
            .newHasher()
            .putString(systemMessage, StandardCharsets.UTF_8)
            .putInt(0)
            .putString(userMessage, StandardCharsets.UTF_8)
            .putInt(wordBudget)
            .hash()
            .toString()
            .substring(0, 12);
    return version + "#" + fingerprint;
  }

  /**
   * The conversation that asks for a judgement of {@code passages} for {@code query}: the system message
   * (if not empty), then the user message with its placeholders filled and each passage numbered from 1
   * and cut to the word budget.
   *
   * @param query the query text
   * @param passages the passages, not empty, in the order shown
   * @return the messages
   * @throws NullPointerException if {@code query} is null
   * @throws IllegalArgumentException if {@code passages} is empty
   */
  public ImmutableList<ChatMessage> render(String query, List<Passage> passages) {
    checkNotNull(query, "query is null");
    checkArgument(!passages.isEmpty(), "no passages to render for query '%s'", query);
    StringBuilder listing = new StringBuilder();
    for (int i = 0; i < passages.size(); i++) {
      if (i > 0) {
        listing.append('\n');
      }
      listing.append('[').append(i + 1).append("] ").append(truncate(passages.get(i).text()));
    }
    String passagesText = listing.toString();
    Matcher matcher = PLACEHOLDER.matcher(userMessage);
    StringBuilder user = new StringBuilder();
    while (matcher.find()) {
      String value =
          switch (matcher.group(1)) {
            case "query" -> query;
            case "count" -> Integer.toString(passages.size());
            default -> passagesText;
          };
      matcher.appendReplacement(user, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(user);
    ImmutableList.Builder<ChatMessage> messages = ImmutableList.builder();
    if (!systemMessage.isEmpty()) {
      messages.add(ChatMessage.system(systemMessage));
    }
    return messages.add(ChatMessage.user(user.toString())).build();
  }

  /** The first {@link #wordBudget()} words of {@code text}, whitespace collapsed to one space. */
  String truncate(String text) {
    List<String> words = WORDS.splitToList(text);
    return String.join(" ", words.subList(0, Math.min(words.size(), wordBudget)));
  }

  @Override
  public String toString() {
    return "PromptTemplate{" + cacheIdentity() + ", wordBudget=" + wordBudget + "}";
  }
}
