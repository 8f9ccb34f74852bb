package io.github.r2r.examples;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.r2r.training.teacher.CachingTeacher;
import io.github.r2r.training.teacher.FatalTeacherException;
import io.github.r2r.training.teacher.JudgementStore;
import io.github.r2r.training.teacher.LabellingInput;
import io.github.r2r.training.teacher.LabellingProgress;
import io.github.r2r.training.teacher.LabellingSummary;
import io.github.r2r.training.teacher.OpenAiCompatibleTeacher;
import io.github.r2r.training.teacher.Passage;
import io.github.r2r.training.teacher.PromptTemplate;
import io.github.r2r.training.teacher.SlidingWindowTeacher;
import io.github.r2r.training.teacher.TeacherException;
import io.github.r2r.training.teacher.TeacherLabeller;
import io.github.r2r.training.teacher.TokenUsage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Labels a folder of queries and first-stage candidates with an LLM teacher, writing the
 * Reason-to-Rank JSONL the trainer reads: exactly one line per query.
 *
 * <pre>
 * OPENAI_API_KEY=... java ... io.github.r2r.examples.LabelWithTeacher \
 *     --base-url https://api.openai.com/v1 --model gpt-4o-mini \
 *     --data ../shared/data/trec-dl22-passage-noqrels --out runs/dl22-teacher.jsonl
 * </pre>
 *
 * <p>The folder holds {@code queries.tsv} ({@code qid<TAB>query}) and {@code candidates.jsonl} (one
 * {@code {"qid", "query", "candidates": [{"docid", "text", ...}]}} per query, best first). The top
 * {@code --top} candidates of each query are sorted by a sliding window; every window answer is
 * recorded in the call cache ({@code --cache}, default {@code <out>.calls.jsonl}) so a run stopped
 * at any point is resumed by running the same command again. See docs/teacher.md.
 */
public final class LabelWithTeacher {
  static final String USAGE =
      """
      Usage: LabelWithTeacher --base-url URL --model NAME --data DIR --out FILE [options]

        --base-url URL     OpenAI-compatible API root, e.g. https://api.openai.com/v1,
                           http://localhost:8000/v1 (vLLM), http://localhost:11434/v1 (Ollama),
                           http://localhost:8080/v1 (llama.cpp server)
        --model NAME       model name as the server knows it
        --data DIR         folder with queries.tsv and candidates.jsonl
        --out FILE         training records, one JSON line per query (appended; rerun to resume)
        --cache FILE       call cache, one line per window (default: <out>.calls.jsonl)
        --top K            candidates per query to sort (default 20)
        --window W         passages per call (default 10)
        --step S           positions the window moves (default 5, or W - 1 if less; must be < W)
        --words N          words of each passage shown to the teacher (default 200)
        --concurrency C    queries and requests in flight at once (default 4)
        --rpm N            requests per minute, 0 for no limit (default 0)
        --timeout-s N      seconds to wait for one answer (default 120)
        --max-tokens N     max_tokens per answer (default: server decides)
        --no-json-mode     do not send response_format (for servers that reject it)
        --max-queries N    label only the first N queries (default all)
        --price-in P       price per 1M prompt tokens, for the cost summary (default 0)
        --price-out P      price per 1M completion tokens, for the cost summary (default 0)

      The API key is read from OPENAI_API_KEY; local servers need none.
      """;

  /** The options that take a value; --no-json-mode is the one that takes none. */
  private static final Set<String> OPTIONS = Set.of(
      "base-url", "model", "data", "out", "cache", "top", "window", "step", "words", "concurrency", "rpm",
      "timeout-s", "max-tokens", "max-queries", "price-in", "price-out");
  private static final String NO_JSON_MODE = "no-json-mode";

  private static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

  private LabelWithTeacher() {}

  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty(LOG_FORMAT_PROPERTY) == null) {
      // Retry and repair warnings start on a line of their own instead of running into the bar.
      System.setProperty(LOG_FORMAT_PROPERTY, "%n%4$s: %5$s%6$s%n");
    }
    // Exits even after a successful run: the HTTP client's threads would otherwise keep the JVM up.
    CommandLine.runMain(USAGE, args, arguments -> System.exit(label(arguments, System.err)));
  }

  /**
   * Labels as {@code args} say, reporting on {@code console}; a {@link UsageException} when they are wrong.
   *
   * @return the exit status: 0 all labelled, 1 some queries failed, 2 an error, 3 the teacher refused to go on
   */
  static int label(String[] args, PrintStream console) throws InterruptedException {
    CommandLine cli = new CommandLine(args, OPTIONS, Set.of(NO_JSON_MODE));
    // Checked before any work, so that a missing one is not found only after the data has been read.
    for (String required : List.of("base-url", "model", "data", "out")) {
      cli.required(required);
    }
    try {
      return run(cli, console);
    } catch (UsageException e) {
      throw e; // an option's value is wrong: reported with the usage, not as an error of the run
    } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
      // Exit 2 as docs/teacher.md defines it: an error that stopped the run before or outside the labelling.
      console.println("error: " + CommandLine.describe(e));
      return 2;
    }
  }

  private static int run(CommandLine cli, PrintStream console) throws IOException, InterruptedException {
    // Every value is checked before the data is read and the teacher called.
    Path data = Path.of(cli.required("data"));
    Path out = cli.requiredOutputFile("out");
    Path cachePath = cli.outputFile("cache").orElse(Path.of(out + ".calls.jsonl"));
    int top = cli.intAtLeast("top", 20, 1);
    int window = cli.intAtLeast("window", 10, 2);
    // Windows must overlap, so that every passage can move from the last window to the first.
    int step = cli.intInRange("step", Math.min(5, window - 1), 1, window - 1);
    int words = cli.intAtLeast("words", 200, 1);
    int concurrency = cli.intAtLeast("concurrency", 4, 1);
    int rpm = cli.intAtLeast("rpm", 0, 0);
    int timeoutSeconds = cli.intAtLeast("timeout-s", 120, 1);
    OptionalInt maxTokens =
        cli.optional("max-tokens").isPresent() ? OptionalInt.of(cli.intAtLeast("max-tokens", 1, 1)) : OptionalInt.empty();
    int maxQueries = cli.intAtLeast("max-queries", Integer.MAX_VALUE, 1);
    double priceIn = price(cli, "price-in");
    double priceOut = price(cli, "price-out");

    // The teacher's settings (the URL, say) are checked before the data is read too.
    OpenAiCompatibleTeacher.Builder builder =
        OpenAiCompatibleTeacher.builder()
            .baseUrl(cli.required("base-url"))
            .model(cli.required("model"))
            .promptTemplate(PromptTemplate.reasonToRank().withWordBudget(words))
            .maxConcurrentRequests(concurrency)
            .requestsPerMinute(rpm)
            .requestTimeout(Duration.ofSeconds(timeoutSeconds))
            .jsonMode(!cli.isSet(NO_JSON_MODE));
    maxTokens.ifPresent(builder::maxOutputTokens);
    OpenAiCompatibleTeacher llm = builder.build();

    List<LabellingInput> inputs = readFolder(data, top);
    if (inputs.isEmpty()) {
      throw new IOException("no queries in " + data.resolve("queries.tsv"));
    }
    if (inputs.size() > maxQueries) {
      inputs = inputs.subList(0, maxQueries);
    }

    LabellingSummary summary;
    long cacheHits;
    try (JudgementStore cache = JudgementStore.open(cachePath)) {
      CachingTeacher caching = new CachingTeacher(llm, cache);
      SlidingWindowTeacher teacher = new SlidingWindowTeacher(caching, window, step);
      int windows = inputs.stream().mapToInt(i -> teacher.windowCount(i.passages().size())).sum();
      console.printf(
          Locale.ROOT,
          "Labelling %d queries from %s with %s: up to %d windows (top %d, window %d, step %d)%n",
          inputs.size(),
          data,
          llm,
          windows,
          top,
          window,
          step);
      ProgressBar bar = new ProgressBar(console, llm, priceIn, priceOut);
      try {
        summary =
            TeacherLabeller.builder(teacher)
                .parallelism(concurrency)
                .progressListener(bar::update)
                .build()
                .label(inputs, out);
      } catch (FatalTeacherException e) {
        bar.finish();
        console.println("Stopped: " + e.getMessage());
        printCost(console, llm, priceIn, priceOut);
        return 3;
      } catch (TeacherException e) {
        bar.finish();
        console.println("Stopped: " + e.getMessage());
        printCost(console, llm, priceIn, priceOut);
        return 1;
      }
      bar.finish();
      cacheHits = caching.hits();
    }

    console.printf(
        Locale.ROOT,
        "Labelled %d queries in %s (%d already in %s, %d failed)%n",
        summary.labelled(),
        format(summary.elapsed()),
        summary.alreadyDone(),
        out,
        summary.failures().size());
    console.printf(Locale.ROOT, "Windows answered from the cache %s: %d%n", cachePath, cacheHits);
    printCost(console, llm, priceIn, priceOut);
    TokenUsage labelUsage = summary.labelUsage();
    console.printf(
        Locale.ROOT,
        "Tokens behind the labels written (cached windows included): %,d prompt + %,d completion%n",
        labelUsage.promptTokens(),
        labelUsage.completionTokens());
    if (summary.repairedMissing() > 0) {
      console.printf(
          Locale.ROOT,
          "Repaired: %d passages left out by the teacher were appended (see"
              + " repaired_identifiers)%n",
          summary.repairedMissing());
    }
    for (LabellingSummary.Failure failure : summary.failures()) {
      console.println("Failed " + failure.qid() + ": " + failure.message());
    }
    if (!summary.failures().isEmpty()) {
      console.println("Run the same command again to retry the failed queries.");
      return 1;
    }
    return 0;
  }

  /** A price of {@code --name}: zero (the default, no cost shown) or more. */
  private static double price(CommandLine cli, String name) {
    double price = cli.doubleValue(name, 0);
    if (price < 0) {
      throw new UsageException("--" + name + " must be zero or more, got " + price);
    }
    return price;
  }

  private static void printCost(
      PrintStream console, OpenAiCompatibleTeacher llm, double priceIn, double priceOut) {
    TokenUsage usage = llm.usage();
    console.printf(
        Locale.ROOT,
        "This run: %,d requests, %,d prompt + %,d completion tokens%s%n",
        llm.requestsSent(),
        usage.promptTokens(),
        usage.completionTokens(),
        priceIn == 0 && priceOut == 0
            ? " (give --price-in/--price-out for a cost)"
            : String.format(
                Locale.ROOT,
                " = $%.4f at $%s / $%s per 1M tokens",
                usage.cost(priceIn, priceOut),
                priceIn,
                priceOut));
  }

  /** Reads queries.tsv for the query list and candidates.jsonl for each query's passages. */
  private static List<LabellingInput> readFolder(Path data, int top) throws IOException {
    Path queriesFile = data.resolve("queries.tsv");
    Path candidatesFile = data.resolve("candidates.jsonl");
    for (Path required : List.of(queriesFile, candidatesFile)) {
      if (!Files.isRegularFile(required)) {
        throw new IOException(
            "missing " + required + " (expected queries.tsv and candidates.jsonl)");
      }
    }
    Map<String, String> queries = new LinkedHashMap<>();
    int lineNumber = 0;
    for (String line : Files.readAllLines(queriesFile, StandardCharsets.UTF_8)) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      int tab = line.indexOf('\t');
      if (tab <= 0) {
        throw new IOException(
            queriesFile + " line " + lineNumber + " is not qid<TAB>query: " + line);
      }
      queries.put(line.substring(0, tab).strip(), line.substring(tab + 1).strip());
    }
    Map<String, List<Passage>> candidates = new HashMap<>();
    lineNumber = 0;
    try (BufferedReader reader = Files.newBufferedReader(candidatesFile, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonObject record = JsonParser.parseString(line).getAsJsonObject();
          List<Passage> passages = new ArrayList<>();
          for (JsonElement candidate : record.getAsJsonArray("candidates")) {
            if (passages.size() == top) {
              break;
            }
            JsonObject c = candidate.getAsJsonObject();
            passages.add(new Passage(c.get("docid").getAsString(), c.get("text").getAsString()));
          }
          candidates.put(record.get("qid").getAsString(), passages);
        } catch (RuntimeException e) {
          // Gson reports each wrong shape with another unchecked exception (missing field, object where
          // an array belongs, a number where a string belongs); all mean this line is not a record.
          throw new IOException(
              candidatesFile + " line " + lineNumber + " is not a candidates record: " + e, e);
        }
      }
    }
    List<LabellingInput> inputs = new ArrayList<>();
    for (Map.Entry<String, String> query : queries.entrySet()) {
      List<Passage> passages = candidates.get(query.getKey());
      if (passages == null || passages.isEmpty()) {
        throw new IOException(
            "query "
                + query.getKey()
                + " of "
                + queriesFile
                + " has no candidates in "
                + candidatesFile);
      }
      inputs.add(new LabellingInput(query.getKey(), query.getValue(), passages));
    }
    return inputs;
  }

  private static String format(Duration duration) {
    long seconds = duration.toSeconds();
    return seconds >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
  }

  /** One self-overwriting console line: bar, counts, tokens, cost and time left. */
  private static final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream console;
    private final OpenAiCompatibleTeacher llm;
    private final double priceIn;
    private final double priceOut;
    private boolean drawn;

    ProgressBar(PrintStream console, OpenAiCompatibleTeacher llm, double priceIn, double priceOut) {
      this.console = console;
      this.llm = llm;
      this.priceIn = priceIn;
      this.priceOut = priceOut;
    }

    void update(LabellingProgress progress) {
      int filled = progress.toDo() == 0 ? WIDTH : WIDTH * progress.finished() / progress.toDo();
      TokenUsage usage = llm.usage();
      String left = "";
      if (progress.finished() > 0 && progress.finished() < progress.toDo()) {
        long perQuery = progress.elapsed().toMillis() / progress.finished();
        left =
            ", ~"
                + format(Duration.ofMillis(perQuery * (progress.toDo() - progress.finished())))
                + " left";
      }
      String cost =
          priceIn == 0 && priceOut == 0
              ? ""
              : String.format(Locale.ROOT, " | $%.4f", usage.cost(priceIn, priceOut));
      console.printf(
          Locale.ROOT,
          "\r[%s%s] %d/%d queries | %d failed | %,d requests | %,d tokens%s | %s%s   ",
          "#".repeat(filled),
          "-".repeat(WIDTH - filled),
          progress.finished(),
          progress.toDo(),
          progress.failed(),
          llm.requestsSent(),
          usage.totalTokens(),
          cost,
          format(progress.elapsed()),
          left);
      drawn = true;
    }

    void finish() {
      if (drawn) {
        console.println();
      }
    }
  }
}
