package io.github.r2r.examples;

import com.google.common.html.HtmlEscapers;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.r2r.Comparison;
import io.github.r2r.Document;
import io.github.r2r.Evidence;
import io.github.r2r.Explain;
import io.github.r2r.RankedDocument;
import io.github.r2r.Ranking;
import io.github.r2r.Reranker;
import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Candidate;
import io.github.r2r.eval.TrecBenchmark;
import io.github.r2r.generate.DecodingOptions;
import io.github.r2r.model.Precision;
import io.github.r2r.text.SentenceSplitter;
import io.github.r2r.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reranks one query's candidates, explains the top documents (evidence, pointwise reason, and why each
 * is above the next), and writes the result as a self-contained HTML report and as JSON.
 *
 * <pre>
 * ExplainRanking --data ../shared/data/trec-dl19-passage --qid 1037798 --html report.html --json report.json
 * ExplainRanking --query "..." --documents docs.txt --html report.html --json report.json
 *     [--top 3] [--model bundled|NAME|MODEL_DIR] [--show 10] [--precision fp32|bf16|int8|auto]
 *     [--max-ungrounded-words N|unlimited] [--max-word-occurrences N|unlimited]
 * </pre>
 *
 * <p>{@code --documents} is a UTF-8 text file with one document per line (blank lines skipped); their
 * ids are their line numbers; a file without any is an error, as is a blank {@code --query}. {@code
 * --top} (default 3) is how many of the ranked documents are explained. {@code --show} (default 10)
 * limits how many ranked documents the report lists, and with them the comparisons: both files hold
 * only comparisons between two listed documents.
 * {@code --precision} chooses the encoder's number format ({@code auto}: the fastest for this CPU);
 * explaining costs about half as much with {@code bf16} on a CPU with AMX (docs/explanations.md).
 * {@code --max-ungrounded-words N} lets each reason use at most N content words that are not in the
 * query and its documents ({@link DecodingOptions#maxUngroundedWords}; default: no limit): reasons then
 * stay closer to the documents' words and read worse (docs/explanations.md, session 15). The JSON
 * then holds {@code max_ungrounded_words}. {@code --max-word-occurrences N} lets one content word occur at
 * most N times in a reason ({@link DecodingOptions#maxWordOccurrences}; default: the library's, 2); the
 * JSON holds {@code max_word_occurrences} unless it is {@code unlimited}.
 *
 * <p>In the JSON, {@code evidence.start} and {@code evidence.end} are offsets in UTF-16 code units
 * (Java {@code String} indices, as {@link Evidence} gives them), end exclusive: JavaScript's {@code
 * text.slice(start, end)} recovers the evidence, while a Python {@code str} (code points) differs once
 * the text has a character outside the Basic Multilingual Plane (an emoji, say). A lone surrogate
 * (half such a character, which UTF-8 cannot encode) is written as U+FFFD in both files; one code unit
 * replaces one, so the offsets still hold.
 */
public final class ExplainRanking {
  private static final String USAGE =
      "usage: ExplainRanking (--data BENCHMARK_DIR --qid QID | --query TEXT --documents FILE)"
          + " --html OUT.html --json OUT.json [--top K] [--model bundled|NAME|MODEL_DIR] [--show N] "
          + ModelOption.PRECISION_USAGE
          + " [--max-ungrounded-words N|unlimited] [--max-word-occurrences N|unlimited]\n"
          + "--top: documents explained (default 3); --show: documents listed (default 10);"
          + " FILE: one document per line";

  private ExplainRanking() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, ExplainRanking::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli = new CommandLine(
        args, Set.of("data", "qid", "query", "documents", "html", "json", "top", "model", "show", "precision",
            "max-ungrounded-words", "max-word-occurrences"));
    // The query comes from a benchmark or from the command line, never both: the other would be silently ignored.
    boolean fromBenchmark = cli.optional("data").isPresent();
    if (fromBenchmark && (cli.optional("query").isPresent() || cli.optional("documents").isPresent())) {
      throw new UsageException("--data (with --qid) and --query/--documents are alternatives: give one or the other");
    }
    if (!fromBenchmark && cli.optional("qid").isPresent()) {
      throw new UsageException("--qid picks a query of --data: give --data with it");
    }
    // Every option is checked before the documents are read and the model loaded.
    Path html = cli.requiredOutputFile("html");
    Path json = cli.requiredOutputFile("json");
    if (html.toAbsolutePath().normalize().equals(json.toAbsolutePath().normalize())) {
      throw new UsageException("--html and --json name the same file " + html + ": give two files");
    }
    int top = cli.intAtLeast("top", 3, 1);
    int show = cli.intAtLeast("show", 10, 1);
    DecodingOptions defaults = DecodingOptions.defaults();
    DecodingOptions decoding = defaults
        .withMaxUngroundedWords(cli.limit("max-ungrounded-words", defaults.maxUngroundedWords(), 0))
        .withMaxWordOccurrences(cli.limit("max-word-occurrences", defaults.maxWordOccurrences(), 1));
    Precision precision = ModelOption.precision(cli);
    String model = cli.optional("model").orElse("bundled");
    String query;
    List<Document> documents = new ArrayList<>();
    if (fromBenchmark) {
      Path data = Path.of(cli.optional("data").get());
      String qid = cli.required("qid");
      BenchmarkQuery q = TrecBenchmark.load(data).query(qid);
      query = q.query();
      for (Candidate c : q.candidates()) {
        documents.add(Document.of(c.docid(), c.text()));
      }
      if (documents.isEmpty()) {
        throw new IllegalArgumentException("query " + qid + " has no candidates in " + data);
      }
    } else {
      query = cli.required("query");
      if (SentenceSplitter.isBlank(query)) {
        throw new UsageException("--query is blank: give the query's words");
      }
      Path file = Path.of(cli.required("documents"));
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (!SentenceSplitter.isBlank(lines.get(i))) {
          documents.add(Document.of(Integer.toString(i + 1), lines.get(i)));
        }
      }
      if (documents.isEmpty()) {
        throw new IllegalArgumentException("no documents in " + file + " (one document per line, blank lines skipped)");
      }
    }
    Reranker.Builder builder =
        Reranker.builder()
            .explain(EnumSet.of(Explain.EVIDENCE, Explain.POINTWISE, Explain.COMPARATIVE), top)
            .reasonDecoding(decoding)
            .precision(precision);
    ModelOption.select(builder, model);
    try (Reranker reranker = builder.build()) {
      long start = System.nanoTime();
      Ranking ranking = reranker.rerankDocuments(query, documents);
      double seconds = (System.nanoTime() - start) / 1e9;
      String modelName = reranker.model().config().name();
      // Both texts are made before either file is written, and each file is written whole or not at all.
      String page = html(ranking, modelName, show, seconds);
      JsonObject report = json(ranking, modelName, show, seconds);
      report.addProperty("precision", reranker.model().inferencePrecision().toString());
      if (decoding.maxUngroundedWords() != DecodingOptions.UNLIMITED) {
        report.addProperty("max_ungrounded_words", decoding.maxUngroundedWords());
      }
      if (decoding.maxWordOccurrences() != DecodingOptions.UNLIMITED) {
        report.addProperty("max_word_occurrences", decoding.maxWordOccurrences());
      }
      String jsonText = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(report);
      write(html, page);
      write(json, jsonText + "\n");
      System.out.printf(Locale.ROOT, "ranked %d documents and explained the top %d in %.2f s; wrote %s and %s%n",
          documents.size(), Math.min(top, documents.size()), seconds, html, json);
    }
  }

  /**
   * Writes {@code text} as UTF-8 with each lone surrogate replaced by U+FFFD: UTF-8 cannot encode one,
   * and writing it would fail after the whole rerank. One UTF-16 unit replaces one, so
   * evidence offsets into the text stay valid. The file is replaced only once all of it is written
   * ({@link AtomicFiles}).
   */
  static void write(Path file, String text) throws IOException {
    StringBuilder valid = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        valid.append(c).append(text.charAt(++i));
      } else {
        valid.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    AtomicFiles.writeString(file, valid.toString());
  }

  /** The comparisons whose two documents are both among the first {@code show}, which the report lists. */
  private static List<Comparison> shownComparisons(Ranking ranking, int show) {
    return ranking.comparisons().stream().filter(c -> c.aboveRank() + 1 <= show).toList();
  }

  static JsonObject json(Ranking ranking, String modelName, int show, double seconds) {
    JsonObject out = new JsonObject();
    out.addProperty("query", ranking.query());
    out.addProperty("model", modelName);
    out.addProperty("seconds", Math.round(seconds * 1000) / 1000.0);
    JsonArray docs = new JsonArray();
    for (RankedDocument d : ranking.topK(show)) {
      JsonObject doc = new JsonObject();
      doc.addProperty("rank", d.rank());
      doc.addProperty("id", d.id());
      doc.addProperty("score", d.score());
      doc.addProperty("text", d.text());
      d.evidence().ifPresent(e -> {
        JsonObject evidence = new JsonObject();
        evidence.addProperty("text", e.text());
        evidence.addProperty("start", e.start());
        evidence.addProperty("end", e.end());
        evidence.addProperty("score", e.score());
        doc.add("evidence", evidence);
      });
      d.reason().ifPresent(r -> doc.addProperty("reason", r));
      docs.add(doc);
    }
    out.add("documents", docs);
    JsonArray comparisons = new JsonArray();
    for (Comparison c : shownComparisons(ranking, show)) {
      JsonObject comparison = new JsonObject();
      comparison.addProperty("above_rank", c.aboveRank());
      comparison.addProperty("above_id", c.aboveId());
      comparison.addProperty("below_id", c.belowId());
      comparison.addProperty("reason", c.reason());
      comparisons.add(comparison);
    }
    out.add("comparisons", comparisons);
    return out;
  }

  static String html(Ranking ranking, String modelName, int show, double seconds) {
    StringBuilder out = new StringBuilder();
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>r2r: ")
        .append(escape(ranking.query()))
        .append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.45;color:#222}\n")
        .append("li{margin-bottom:1.2rem} mark{background:#ffe58a} .score{color:#666;font-size:.9em}\n")
        .append(".reason{margin:.3rem 0 0 0;padding:.3rem .6rem;border-left:3px solid #4a7fd4;background:#f3f6fc}\n")
        .append(".versus{margin:.4rem 0 0 1.5rem;color:#555;font-style:italic}\n")
        // Documents keep their line breaks and tabs, which HTML would otherwise fold into spaces.
        .append(".text{white-space:pre-wrap}\n")
        .append("</style></head><body>\n<h1>")
        .append(escape(ranking.query()))
        .append("</h1>\n<p class=\"score\">")
        .append(escape(String.format(Locale.ROOT, "model %s · %d documents · %.2f s", modelName, ranking.size(),
            seconds)))
        .append("</p>\n<ol>\n");
    for (RankedDocument d : ranking.topK(show)) {
      out.append("<li><span class=\"score\">")
          .append(escape(String.format(Locale.ROOT, "score %.4f · id %s", d.score(), d.id())))
          .append("</span>\n<div class=\"text\">")
          .append(highlighted(d.text(), d.evidence().orElse(null)))
          .append("</div>\n");
      d.reason().ifPresent(r -> out.append("<p class=\"reason\"><b>Why:</b> ").append(escape(r)).append("</p>\n"));
      // Inside the upper document's item: an <ol> may hold only <li> elements.
      for (Comparison c : shownComparisons(ranking, show)) {
        if (c.aboveRank() == d.rank()) {
          out.append("<p class=\"versus\">Above #").append(c.aboveRank() + 1).append(": ")
              .append(escape(c.reason())).append("</p>\n");
        }
      }
      out.append("</li>\n");
    }
    return out.append("</ol>\n</body></html>\n").toString();
  }

  /** The text with the evidence span marked; offsets are those of the original text. */
  static String highlighted(String text, Evidence evidence) {
    if (evidence == null) {
      return escape(text);
    }
    return escape(text.substring(0, evidence.start())) + "<mark>" + escape(evidence.text()) + "</mark>"
        + escape(text.substring(evidence.end()));
  }

  private static String escape(String s) {
    return HtmlEscapers.htmlEscaper().escape(s);
  }
}
