package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ExplainRanking end to end on a tiny random model directory with a reason decoder. */
class ExplainRankingTest {
  @Test
  void writesAnHtmlReportAndJsonWithEveryExplanation(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("model");
    ModelConfig config = new ModelConfig("tiny-report", new BertConfig(30522, 32, 2, 2, 64, 64, 2, 1e-12f),
        ScoringMode.BI_ENCODER, Pooling.MEAN, "", "", 64);
    try (InputStream in = ExplainRankingTest.class.getResourceAsStream("/e5-small-v2-tokenizer.json");
        RankingModel ranking = RankingModel.initialized(config, in.readAllBytes(), Device.cpu(), 3);
        ReasonModel reasons = ReasonModel.warmStarted(ranking, new ReasonConfig("tiny-report", 1, 64, 48), 4)) {
      ranking.save(model, DType.F32, "# tiny\n");
      reasons.save(model, DType.F32);
    }
    Path documents = dir.resolve("docs.txt");
    Files.writeString(documents, String.join("\n",
        "Paris is the capital of France. It has <many> museums & cafés, and about two million people live there.",
        "",
        "Giraffes are the tallest animals. They live in the savannas of Africa and eat leaves from trees.",
        "The Louvre is a museum in Paris. It holds the Mona Lisa and receives millions of visitors every year.",
        "Bread is baked from flour, water and yeast. Many bakeries open early in the morning every day."));
    Path html = dir.resolve("report.html");
    Path json = dir.resolve("report.json");
    ExplainRanking.run(new String[] {
        "--query", "capital of france", "--documents", documents.toString(), "--html", html.toString(),
        "--json", json.toString(), "--model", model.toString(), "--top", "3"});

    JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals("capital of france", report.get("query").getAsString());
    assertEquals("FP32", report.get("precision").getAsString());
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
}
