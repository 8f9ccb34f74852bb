package io.github.r2r.examples;

import ai.djl.Device;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.PretrainedEncoder;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.DType;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import io.github.r2r.text.TokenizedText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes model directories with this library's own writer ({@link RankingModel#save}) and the outputs
 * our Java code computes for them, so that a machine with Python can check that HF {@code
 * transformers} loads the same files and computes the same numbers ({@code tools/hf_parity_check.py},
 * see docs/gpu.md).
 *
 * <pre>ExportHfParityFixture --out DIR</pre>
 *
 * <p>Two models, small enough to travel (about 33 MB): a bi-encoder cut from e5-small-v2 (its first
 * 2 layers, real weights, fp16, mean pooling) and a small cross-encoder with seeded random weights
 * (hidden 64, 2 layers, fp16, with the pooler and one-logit classifier of a cross-encoder), which
 * checks the cross-encoder's names and head. {@code expected.json} holds, per model, the
 * tokenizations of some texts and, per input sequence as our code assembles it, the normalised
 * embedding or the logit.
 */
public final class ExportHfParityFixture {
  private static final String USAGE = "usage: ExportHfParityFixture --out DIR";
  private static final List<String> TEXTS = List.of(
      "query: how long is the life cycle of a flea",
      "passage: The flea life cycle — egg, larva, pupa and adult — takes 2 weeks to 8 months; in warm,"
          + " humid homes a flea can live up to a year. Fleas (Ctenocephalides felis) feed on cats & dogs.",
      "passage: Café résumé naïve: unicode text, numbers like 3.5 and 1,000, and an emoji 🙂.",
      "passage: " + ("Durable medical equipment consists of items which are primarily used to serve a medical"
          + " purpose. ").repeat(12));

  private ExportHfParityFixture() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, ExportHfParityFixture::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli = new CommandLine(args, Set.of("out"));
    Path out = Path.of(cli.required("out"));
    Files.createDirectories(out);
    JsonArray models = new JsonArray();
    models.add(export(out, "e5-2layer-bi", 2, ScoringMode.BI_ENCODER));
    models.add(export(out, "tiny-cross", 2, ScoringMode.CROSS_ENCODER));
    JsonObject fixture = new JsonObject();
    fixture.add("models", models);
    Files.writeString(out.resolve("expected.json"),
        new GsonBuilder().setPrettyPrinting().create().toJson(fixture) + "\n", StandardCharsets.UTF_8);
    System.out.println("fixture written to " + out);
  }

  private static JsonObject export(Path root, String name, int layers, ScoringMode scoring) throws IOException {
    PretrainedEncoder e5 = PretrainedEncoder.E5_SMALL_V2;
    BertConfig full = e5.config().encoder();
    boolean cross = scoring == ScoringMode.CROSS_ENCODER;
    BertConfig encoder = cross
        ? new BertConfig(full.vocabSize(), 64, layers, 4, 128, full.maxPositionEmbeddings(), 2, 1e-12f)
        : new BertConfig(full.vocabSize(), full.hiddenSize(), layers, full.numAttentionHeads(), full.intermediateSize(),
            full.maxPositionEmbeddings(), full.typeVocabSize(), full.layerNormEps());
    ModelConfig config = new ModelConfig(name, encoder, scoring, e5.config().pooling(), "", "", 512);
    Path dir = root.resolve(name);
    try (RankingModel model = cross
        ? RankingModel.initialized(config, tokenizerJson(e5), Device.cpu(), 17)
        : RankingModel.pretrained(e5, config, Device.cpu())) {
      model.save(dir, DType.F16, "# " + name + ": HF parity fixture\n");
    }
    JsonObject model = new JsonObject();
    model.addProperty("dir", name);
    model.addProperty("scoring", scoring.name());
    model.addProperty("pooling", config.pooling().name());
    // Outputs come from the directory as written, so they reflect the fp16 weights HF will read.
    try (RankingModel loaded = RankingModel.load(dir, Device.cpu())) {
      TextTokenizer tokenizer = loaded.tokenizer();
      JsonArray tokenizations = new JsonArray();
      List<TokenizedText> tokenized = new ArrayList<>();
      for (String text : TEXTS) {
        TokenizedText t = tokenizer.tokenize(text);
        tokenized.add(t);
        JsonObject entry = new JsonObject();
        entry.addProperty("text", text);
        entry.add("ids", longs(t.ids(0, t.length())));
        tokenizations.add(entry);
      }
      model.add("tokenizations", tokenizations);
      SequenceBuilder builder = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), 512);
      List<InputSequence> sequences = new ArrayList<>();
      if (scoring == ScoringMode.BI_ENCODER) {
        for (TokenizedText t : tokenized) {
          sequences.add(builder.single(t));
        }
      } else {
        for (int d = 1; d < tokenized.size(); d++) {
          sequences.add(builder.pairWindows(tokenized.get(0), tokenized.get(d), 510, 510, 1).get(0));
        }
      }
      JsonArray cases = new JsonArray();
      float[][] embeddings = scoring == ScoringMode.BI_ENCODER ? loaded.embed(sequences) : null;
      float[] logits = scoring == ScoringMode.CROSS_ENCODER ? loaded.crossScores(sequences) : null;
      for (int i = 0; i < sequences.size(); i++) {
        JsonObject c = new JsonObject();
        c.add("input_ids", longs(sequences.get(i).ids()));
        c.add("token_type_ids", longs(sequences.get(i).typeIds()));
        if (embeddings != null) {
          JsonArray e = new JsonArray();
          for (float v : embeddings[i]) {
            e.add(v);
          }
          c.add("embedding", e);
        } else {
          c.addProperty("logit", logits[i]);
        }
        cases.add(c);
      }
      model.add("cases", cases);
    }
    return model;
  }

  private static byte[] tokenizerJson(PretrainedEncoder encoder) throws IOException {
    try (var in = ExportHfParityFixture.class.getResourceAsStream(encoder.tokenizerResource())) {
      if (in == null) {
        throw new IOException("missing " + encoder.tokenizerResource() + ": add " + encoder.mavenCoordinates());
      }
      return in.readAllBytes();
    }
  }

  private static JsonArray longs(long[] values) {
    JsonArray out = new JsonArray();
    for (long v : values) {
      out.add(v);
    }
    return out;
  }
}
