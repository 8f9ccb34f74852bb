package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.r2r.Document;
import io.github.r2r.Ranking;
import io.github.r2r.generate.ReasonConfig;
import io.github.r2r.generate.ReasonModel;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.DType;
import java.io.InputStream;
import java.nio.file.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ExplainRanking end to end on a tiny random model directory with a reason decoder. */
class ExplainRankingTest {
  /** A tiny random model directory with a reason decoder, saved under {@code dir}. */
  private static Path tinyModel(Path dir) throws Exception {
    Path model = dir.resolve("model");
    ModelConfig config = new ModelConfig("tiny-report", new BertConfig(30522, 32, 2, 2, 64, 64, 2, 1e-12f),
        ScoringMode.BI_ENCODER, Pooling.MEAN, "", "", 64);
    try (InputStream in = ExplainRankingTest.class.getResourceAsStream("/e5-small-v2-tokenizer.json");
        RankingModel ranking = RankingModel.initialized(config, in.readAllBytes(), Device.cpu(), 3);
        ReasonModel reasons = ReasonModel.warmStarted(ranking, new ReasonConfig("tiny-report", 1, 64, 48), 4)) {
      ranking.save(model, DType.F32, "# tiny\n");
      reasons.save(model, DType.F32);
    }
    return model;
  }

  private static Path documents(Path dir) throws Exception {
    Path documents = dir.resolve("docs.txt");
    Files.writeString(documents, String.join("\n",
        "Paris is the capital of France. It has <many> museums & cafés, and about two million people live there.",
        "",
        "Giraffes are the tallest animals. They live in the savannas of Africa and eat leaves from trees.",
        "The Louvre is a museum in Paris. It holds the Mona Lisa and receives millions of visitors every year.",
        "Bread is baked from flour, water and yeast. Many bakeries open early in the morning every day."));
    return documents;
  }

  /** Fails unless the page's ordered list holds nothing but list items (HTML allows only those in it). */
  private static void assertTheListHoldsOnlyItems(String page) {
    String list = page.substring(page.indexOf("<ol>") + "<ol>".length(), page.indexOf("</ol>"));
    assertEquals("", Pattern.compile("<li>.*?</li>", Pattern.DOTALL).matcher(list).replaceAll("").strip(),
        "what the list holds outside its items");
  }

  @Test
  void writesAnHtmlReportAndJsonWithEveryExplanation(@TempDir Path dir) throws Exception {
    Path model = tinyModel(dir);
    Path documents = documents(dir);
    Path html = dir.resolve("report.html");
    Path json = dir.resolve("report.json");
    ExplainRanking.run(new String[] {
        "--query", "capital of france", "--documents", documents.toString(), "--html", html.toString(),
        "--json", json.toString(), "--model", model.toString(), "--top", "3"});

    JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals("capital of france", report.get("query").getAsString());
    assertEquals("FP32", report.get("precision").getAsString());
    assertFalse(report.has("max_ungrounded_words"), "no limit unless asked for");
    assertEquals(4, report.getAsJsonArray("documents").size(), "the blank line is not a document");
    for (int i = 0; i < 4; i++) {
      JsonObject doc = report.getAsJsonArray("documents").get(i).getAsJsonObject();
      assertEquals(i + 1, doc.get("rank").getAsInt());
      assertEquals(i < 3, doc.has("evidence"), "evidence for the top 3 only");
      assertEquals(i < 3, doc.has("reason"), "reasons for the top 3 only");
      if (doc.has("evidence")) {
        JsonObject e = doc.getAsJsonObject("evidence");
        assertEquals(e.get("text").getAsString(),
            doc.get("text").getAsString().substring(e.get("start").getAsInt(), e.get("end").getAsInt()));
      }
    }
    assertEquals(2, report.getAsJsonArray("comparisons").size());

    String page = Files.readString(html);
    assertTrue(page.startsWith("<!DOCTYPE html>"));
    assertEquals(3, page.split("<mark>", -1).length - 1, "one highlighted evidence per explained document");
    assertTrue(page.contains("&lt;many&gt; museums &amp; cafés") && !page.contains("<many>"),
        "document text is escaped");
    assertEquals(2, page.split("class=\"versus\"", -1).length - 1, "one comparison per adjacent pair");
    assertTheListHoldsOnlyItems(page);

    // The same in bfloat16: every explanation is still there.
    ExplainRanking.run(new String[] {
        "--query", "capital of france", "--documents", documents.toString(), "--html", html.toString(),
        "--json", json.toString(), "--model", model.toString(), "--top", "3", "--precision", "bf16"});
    JsonObject low = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals("BF16", low.get("precision").getAsString());
    assertEquals(2, low.getAsJsonArray("comparisons").size());
    for (int i = 0; i < 3; i++) {
      JsonObject doc = low.getAsJsonArray("documents").get(i).getAsJsonObject();
      assertTrue(doc.has("evidence") && doc.has("reason"), "rank " + (i + 1) + " is explained");
    }
  }

  @Test
  void maxUngroundedWordsReachesTheBundledDecoder(@TempDir Path dir) throws Exception {
    Path documents = documents(dir);
    Path html = dir.resolve("report.html");
    Path json = dir.resolve("report.json");
    for (String limit : new String[] {null, "0"}) {
      List<String> args = new java.util.ArrayList<>(List.of("--query", "capital of france", "--documents",
          documents.toString(), "--html", html.toString(), "--json", json.toString(), "--top", "2"));
      if (limit != null) {
        args.addAll(List.of("--max-ungrounded-words", limit));
      }
      ExplainRanking.run(args.toArray(String[]::new));
      JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
      assertEquals(limit != null, report.has("max_ungrounded_words"));
      assertEquals(2, report.get("max_word_occurrences").getAsInt(), "the library's default is recorded");
      double leastGrounded = 1;
      for (int i = 0; i < 2; i++) {
        JsonObject doc = report.getAsJsonArray("documents").get(i).getAsJsonObject();
        List<String> sources = List.of("capital of france", doc.get("text").getAsString());
        leastGrounded = Math.min(leastGrounded,
            io.github.r2r.eval.Groundedness.of(doc.get("reason").getAsString(), sources).orElse(1.0));
      }
      if (limit == null) {
        // The bundled decoder writes the teacher's framing ("passage", "relevant"), which no document holds.
        assertTrue(leastGrounded < 1, "some reason uses words of its own");
      } else {
        assertEquals(1.0, leastGrounded, 1e-9, "with no word of their own, every content word is the query's or the document's");
      }
    }
  }

  @Test
  void comparisonsAreLimitedToTheShownDocumentsAndSitInTheUpperOnesItem(@TempDir Path dir) throws Exception {
    Path html = dir.resolve("report.html");
    Path json = dir.resolve("report.json");
    // Three documents are explained (two comparisons: 1 above 2, 2 above 3) but only two are shown.
    ExplainRanking.run(new String[] {
        "--query", "capital of france", "--documents", documents(dir).toString(), "--html", html.toString(),
        "--json", json.toString(), "--model", tinyModel(dir).toString(), "--top", "3", "--show", "2"});

    JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    JsonArray shown = report.getAsJsonArray("documents");
    assertEquals(2, shown.size());
    JsonArray comparisons = report.getAsJsonArray("comparisons");
    assertEquals(1, comparisons.size(), "only the comparison of two shown documents: " + comparisons);
    JsonObject comparison = comparisons.get(0).getAsJsonObject();
    assertEquals(1, comparison.get("above_rank").getAsInt());
    assertEquals(shown.get(0).getAsJsonObject().get("id").getAsString(), comparison.get("above_id").getAsString());
    assertEquals(shown.get(1).getAsJsonObject().get("id").getAsString(), comparison.get("below_id").getAsString());

    String page = Files.readString(html);
    assertEquals(2, page.split("<li>", -1).length - 1);
    assertEquals(1, page.split("class=\"versus\"", -1).length - 1, page);
    assertFalse(page.contains("Above #3"), "the page does not list document #3");
    assertTheListHoldsOnlyItems(page);
  }

  @Test
  void documentTextKeepsItsLineBreaksAndTabs() {
    Ranking ranking = Ranking.of("q", List.of(Document.of("d", "first line\n\tindented <second>")), new float[] {1});
    String page = ExplainRanking.html(ranking, "m", 10, 0.5);
    assertTrue(page.contains("<div class=\"text\">first line\n\tindented &lt;second&gt;</div>"), page);
    assertTrue(page.contains(".text{white-space:pre-wrap}"), "the browser keeps the text's white space");
  }

  @Test
  void aLoneSurrogateIsWrittenAsAReplacementCharacter(@TempDir Path dir) throws Exception {
    // A JSON escape can carry half a surrogate pair into a candidate; UTF-8 cannot encode it.
    Path benchmark = Files.createDirectories(dir.resolve("bench"));
    Files.writeString(benchmark.resolve("queries.tsv"), "7\tcapital of france\n");
    Files.writeString(benchmark.resolve("candidates.jsonl"), "{\"qid\": \"7\", \"query\": \"capital of france\","
        + " \"candidates\": [{\"docid\": \"a\", \"text\": \"Paris \\ud83d is the capital of France.\","
        + " \"bm25_rank\": 1, \"bm25_score\": 2.0}, {\"docid\": \"b\", \"text\": \"Giraffes are tall.\","
        + " \"bm25_rank\": 2, \"bm25_score\": 1.0}]}\n");
    Path html = dir.resolve("report.html");
    Path json = dir.resolve("report.json");
    ExplainRanking.run(new String[] {
        "--data", benchmark.toString(), "--qid", "7", "--html", html.toString(), "--json", json.toString(),
        "--model", tinyModel(dir).toString(), "--top", "2"});

    assertTrue(Files.readString(html).contains("Paris \uFFFD is the capital of France."));
    JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    for (var element : report.getAsJsonArray("documents")) {
      JsonObject doc = element.getAsJsonObject();
      if (doc.get("id").getAsString().equals("a")) {
        assertEquals("Paris \uFFFD is the capital of France.", doc.get("text").getAsString());
        // One UTF-16 unit replaces one, so the evidence offsets still locate the evidence text.
        JsonObject e = doc.getAsJsonObject("evidence");
        assertEquals(e.get("text").getAsString(),
            doc.get("text").getAsString().substring(e.get("start").getAsInt(), e.get("end").getAsInt()));
      }
    }
  }

  @Test
  void aBenchmarkQueryAndACommandLineQueryAreAlternatives() {
    UsageException e = assertThrows(UsageException.class, () -> ExplainRanking.run(new String[] {
        "--data", "bench", "--qid", "1", "--query", "capital of france", "--html", "r.html", "--json", "r.json"}));
    assertEquals("--data (with --qid) and --query/--documents are alternatives: give one or the other", e.getMessage());
    e = assertThrows(UsageException.class, () -> ExplainRanking.run(new String[] {
        "--data", "bench", "--qid", "1", "--documents", "docs.txt", "--html", "r.html", "--json", "r.json"}));
    assertTrue(e.getMessage().startsWith("--data (with --qid) and --query/--documents are alternatives"), e.getMessage());
  }

  @Test
  void aQidNeedsTheBenchmarkItPicksFrom() {
    UsageException e = assertThrows(UsageException.class, () -> ExplainRanking.run(new String[] {
        "--qid", "1", "--query", "q", "--documents", "docs.txt", "--html", "r.html", "--json", "r.json"}));
    assertEquals("--qid picks a query of --data: give --data with it", e.getMessage());
  }

  private static String usageError(String... args) {
    return assertThrows(UsageException.class, () -> ExplainRanking.run(args)).getMessage();
  }

  @Test
  void topAndShowAreRangeCheckedBeforeAnyWork(@TempDir Path dir) {
    // No such documents file or model: the errors come before either is read.
    String html = dir.resolve("r.html").toString();
    String json = dir.resolve("r.json").toString();
    assertEquals("--top must be positive, got 0", usageError(
        "--query", "q", "--documents", "none.txt", "--html", html, "--json", json, "--top", "0"));
    assertEquals("--show must be positive, got -1", usageError(
        "--query", "q", "--documents", "none.txt", "--html", html, "--json", json, "--show", "-1"));
    assertTrue(usageError("--query", "q", "--documents", "none.txt", "--html", html, "--json", json,
        "--max-ungrounded-words", "-1").startsWith("--max-ungrounded-words must be"));
    assertEquals("--max-word-occurrences must be positive, got 0", usageError("--query", "q", "--documents",
        "none.txt", "--html", html, "--json", json, "--max-word-occurrences", "0"));
  }

  @Test
  void aBlankQueryIsAUsageError(@TempDir Path dir) throws Exception {
    for (String query : List.of("", "  ")) {
      assertEquals("--query is blank: give the query's words", usageError("--query", query, "--documents",
          documents(dir).toString(), "--html", dir.resolve("r.html").toString(), "--json",
          dir.resolve("r.json").toString()));
    }
  }

  @Test
  void bothOutputFilesAreCheckedBeforeAnyWorkSoThatNeitherIsWrittenAlone(@TempDir Path dir) throws IOException {
    Path html = dir.resolve("r.html");
    Path missing = Files.writeString(dir.resolve("missing"), "a file, not a directory").resolve("r.json");
    String message = usageError(
        "--query", "q", "--documents", "none.txt", "--html", html.toString(), "--json", missing.toString());
    assertTrue(message.startsWith("--json " + missing + ": " + dir.resolve("missing") + " is not a directory"), message);
    assertFalse(Files.exists(html), "the HTML report is not written when the JSON cannot be");
    assertEquals("--html and --json name the same file " + html + ": give two files", usageError(
        "--query", "q", "--documents", "none.txt", "--html", html.toString(), "--json", html.toString()));
  }

  @Test
  void aDocumentsFileWithoutDocumentsIsAnError(@TempDir Path dir) throws Exception {
    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, "\n  \n");
    Path html = dir.resolve("r.html");
    // The model does not exist: the error comes before it is loaded.
    MainOutcome outcome = MainOutcome.of("usage", ExplainRanking::run, "--query", "q", "--documents",
        empty.toString(), "--html", html.toString(), "--json", dir.resolve("r.json").toString(), "--model",
        dir.resolve("no-model").toString());
    assertEquals(new MainOutcome(1, "", "error: no documents in " + empty
        + " (one document per line, blank lines skipped)" + System.lineSeparator()), outcome);
    assertFalse(Files.exists(html));
  }
}
