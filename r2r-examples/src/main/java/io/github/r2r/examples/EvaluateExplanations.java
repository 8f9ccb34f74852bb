package io.github.r2r.examples;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.github.r2r.Document;
import io.github.r2r.Evidence;
import io.github.r2r.Explain;
import io.github.r2r.RankedDocument;
import io.github.r2r.Ranking;
import io.github.r2r.Reranker;
import io.github.r2r.eval.EvidenceMatch;
import io.github.r2r.eval.Groundedness;
import io.github.r2r.eval.RougeL;
import io.github.r2r.model.PretrainedEncoder;
import io.github.r2r.text.Sentence;
import io.github.r2r.text.SentenceSplitter;
import io.github.r2r.training.data.ReadResult;
import io.github.r2r.training.data.ReasonToRankReader;
import io.github.r2r.training.data.ScoresInterpretation;
import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import io.github.r2r.util.ProgressBar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Measures r2r's explanations against a Reason-to-Rank teacher file (e.g. {@code
 * r2r-teacher/dev-dl19-top5.jsonl}) next to simple baselines.
 *
 * <pre>
 * EvaluateExplanations --data FILE --json OUT [--model bundled|NAME|MODEL_DIR] [--examples N]
 * </pre>
 *
 * <p>Prints, for the first {@code N} queries (default 3), one passage's evidence next to the
 * teacher's sentence and the lead sentence.
 *
 * <ul>
 *   <li>Evidence accuracy: share of passages with a teacher {@code direct_answer_sentence} (not a
 *       placeholder such as "Not applicable", see {@link EvidenceMatch#saysNoAnswer}) whose selected
 *       sentence matches it by {@link EvidenceMatch}; the baseline selects each passage's first
 *       sentence (lead). Every passage of the window is explained.
 *   <li>ROUGE-L F1 ({@link RougeL}) of pointwise and comparative reasons against the teacher's {@code
 *       direct_reason} and {@code listwise_reason}: r2r has no reason generator yet, so only the
 *       {@link TemplateReasons} baseline is scored and r2r's values are null.
 *   <li>Groundedness ({@link Groundedness}) against the query and the passage: of r2r's evidence
 *       (a passage sentence, so 1 by construction), of the template reasons, and of the teacher's
 *       reasons for reference.
 * </ul>
 */
public final class EvaluateExplanations {
  private static final String USAGE =
      "usage: EvaluateExplanations --data FILE.jsonl --json OUT.json"
          + " [--model bundled|all-minilm-l6-v2|bge-small-en-v1.5|e5-small-v2|MODEL_DIR] [--examples N]";

  private final SentenceSplitter splitter = SentenceSplitter.english();
  private final Mean evidenceAccuracy = new Mean();
  private final Mean leadAccuracy = new Mean();
  private final Mean evidenceLocatable = new Mean();
  private final Mean evidenceGroundedness = new Mean();
  private final Mean templatePointwiseRouge = new Mean();
  private final Mean templateComparativeRouge = new Mean();
  private final Mean templatePointwiseGrounded = new Mean();
  private final Mean templateComparativeGrounded = new Mean();
  private final Mean teacherPointwiseGrounded = new Mean();
  private final Mean teacherComparativeGrounded = new Mean();
  private int passages;
  private int examplesLeft;
  private boolean exampleShownForQuery;

  private EvaluateExplanations(int examples) {
    this.examplesLeft = examples;
  }

  public static void main(String[] args) throws IOException {
    CommandLine cli = new CommandLine(args, Set.of("data", "json", "model", "examples"), USAGE);
    Path data = Path.of(cli.required("data"));
    Path json = Path.of(cli.required("json"));
    String model = cli.optional("model").orElse("bundled");
    ReadResult read =
        ReasonToRankReader.builder().scores(ScoresInterpretation.RETRIEVAL_SCORES).build().read(data);
    System.err.println(read.report().summary());
    List<TrainingQuery> queries = read.queries();
    int window = queries.stream().mapToInt(q -> q.passages().size()).max().orElse(1);

    EvaluateExplanations evaluation = new EvaluateExplanations(cli.intValue("examples", 3));
    long start = System.nanoTime();
    String modelName;
    try (Reranker reranker = reranker(model, window)) {
      modelName = reranker.model().config().name();
      ProgressBar progress = new ProgressBar(System.err, "explaining", queries.size());
      for (TrainingQuery query : queries) {
        evaluation.add(query, reranker);
        progress.step(1);
      }
      progress.finish();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    JsonObject result = evaluation.result(model, modelName, queries.size(), seconds);
    String text = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create().toJson(result);
    Files.writeString(json, text + "\n", StandardCharsets.UTF_8);
    System.out.println(text);
  }

  private static Reranker reranker(String model, int window) {
    Reranker.Builder builder = Reranker.builder().explain(Explain.EVIDENCE, window);
    PretrainedEncoder pretrained = EvaluateTrec.pretrainedByName(model);
    if (pretrained != null) {
      builder.model(pretrained);
    } else if (!model.equals("bundled")) {
      builder.model(Path.of(model));
    }
    return builder.build();
  }

  private void add(TrainingQuery query, Reranker reranker) {
    List<Document> documents = new ArrayList<>();
    for (TrainingPassage p : query.passages()) {
      documents.add(Document.of(p.id(), p.text()));
    }
    Ranking ranking = reranker.rerankDocuments(query.query(), documents);
    exampleShownForQuery = false;
    Map<String, Evidence> evidenceById = new HashMap<>();
    for (RankedDocument d : ranking) {
      evidenceById.put(d.id(), d.evidence().orElseThrow());
    }
    for (TrainingPassage passage : query.passages()) {
      passages++;
      List<String> sources = List.of(query.query(), passage.text());
      Evidence evidence = evidenceById.get(passage.id());
      add(evidenceGroundedness, Groundedness.of(evidence.text(), sources));
      passage
          .evidenceSentence()
          .filter(teacher -> !EvidenceMatch.saysNoAnswer(teacher))
          .ifPresent(teacher -> scoreEvidence(query, passage, evidence, teacher));

      String pointwise = TemplateReasons.pointwise(query.query(), passage.text());
      String comparative = TemplateReasons.comparative(query.query());
      add(templatePointwiseGrounded, Groundedness.of(pointwise, sources));
      add(templateComparativeGrounded, Groundedness.of(comparative, sources));
      passage.pointwiseReason().ifPresent(teacher -> {
        templatePointwiseRouge.add(RougeL.of(pointwise, teacher).f1());
        add(teacherPointwiseGrounded, Groundedness.of(teacher, sources));
      });
      passage.comparativeReason().ifPresent(teacher -> {
        templateComparativeRouge.add(RougeL.of(comparative, teacher).f1());
        add(teacherComparativeGrounded, Groundedness.of(teacher, sources));
      });
    }
  }

  private void scoreEvidence(TrainingQuery query, TrainingPassage passage, Evidence evidence, String teacher) {
    List<String> sentences = splitter.split(passage.text()).stream().map(Sentence::text).toList();
    boolean ours = EvidenceMatch.matches(evidence.text(), sentences, teacher);
    boolean lead = EvidenceMatch.matches(sentences.get(0), sentences, teacher);
    evidenceAccuracy.add(ours ? 1 : 0);
    leadAccuracy.add(lead ? 1 : 0);
    evidenceLocatable.add(EvidenceMatch.locatable(sentences, teacher) ? 1 : 0);
    if (examplesLeft > 0 && !exampleShownForQuery) {
      examplesLeft--;
      exampleShownForQuery = true;
      System.out.printf(
          Locale.ROOT,
          "query: %s%npassage %s (%d sentences)%n  r2r evidence (%s, score %.4f): %s%n"
              + "  teacher:              %s%n  lead (%s): %s%n%n",
          query.query(), passage.id(), sentences.size(), ours ? "match" : "no match", evidence.score(),
          evidence.text(), teacher, lead ? "match" : "no match", sentences.get(0));
    }
  }

  /** A JSON number, or null for an undefined (NaN) mean. */
  private static JsonElement number(double value) {
    return Double.isNaN(value) ? JsonNull.INSTANCE : new JsonPrimitive(value);
  }

  private static void add(Mean mean, OptionalDouble value) {
    value.ifPresent(mean::add);
  }

  private JsonObject result(String model, String modelName, int queries, double seconds) {
    JsonObject out = new JsonObject();
    out.add("rougeL_pointwise", JsonNull.INSTANCE);
    out.add("rougeL_comparative", JsonNull.INSTANCE);
    out.add("evidence_accuracy", number(evidenceAccuracy.value()));
    out.add("groundedness", number(evidenceGroundedness.value()));
    JsonObject baseline = new JsonObject();
    baseline.add("rougeL_pointwise", number(templatePointwiseRouge.value()));
    baseline.add("rougeL_comparative", number(templateComparativeRouge.value()));
    baseline.add("evidence_accuracy", number(leadAccuracy.value()));
    baseline.add("groundedness", number(Mean.of(templatePointwiseGrounded, templateComparativeGrounded)));
    baseline.add("groundedness_pointwise", number(templatePointwiseGrounded.value()));
    baseline.add("groundedness_comparative", number(templateComparativeGrounded.value()));
    out.add("baseline", baseline);
    JsonObject teacher = new JsonObject();
    teacher.add("groundedness", number(Mean.of(teacherPointwiseGrounded, teacherComparativeGrounded)));
    teacher.add("groundedness_pointwise", number(teacherPointwiseGrounded.value()));
    teacher.add("groundedness_comparative", number(teacherComparativeGrounded.value()));
    out.add("teacher", teacher);
    out.addProperty("passages", passages);
    out.addProperty("evidence_passages", evidenceAccuracy.count());
    out.add("evidence_locatable", number(evidenceLocatable.value()));
    out.addProperty("queries", queries);
    out.addProperty("model", model);
    out.addProperty("model_name", modelName);
    out.addProperty("seconds", Math.round(seconds * 10) / 10.0);
    out.addProperty(
        "notes",
        "r2r has no reason generator yet: its rougeL_pointwise and rougeL_comparative are null; its"
            + " groundedness is that of its evidence, a passage sentence (1 by construction)."
            + " evidence_accuracy: share of the evidence_passages (teacher direct_answer_sentence"
            + " present and not a placeholder such as 'Not applicable', 'N/A', 'None') whose zero-shot"
            + " evidence matches the teacher sentence (EvidenceMatch: equal"
            + " after normalisation, or ROUGE-L F1 >= 0.6 and no passage sentence higher); baseline: the"
            + " lead sentence. evidence_locatable: share of those passages where some sentence can match"
            + " at all (the ceiling). baseline reasons are fixed templates (TemplateReasons); groundedness:"
            + " share of content words (NLTK stop words removed, final s folded) found in the query or"
            + " the passage; teacher: the same for the teacher's reasons, for reference.");
    return out;
  }

  /** A running mean; {@code NaN} when empty. */
  private static final class Mean {
    private double sum;
    private int count;

    void add(double value) {
      sum += value;
      count++;
    }

    int count() {
      return count;
    }

    double value() {
      return count == 0 ? Double.NaN : sum / count;
    }

    /** The mean over the values of both. */
    static double of(Mean a, Mean b) {
      int n = a.count + b.count;
      return n == 0 ? Double.NaN : (a.sum + b.sum) / n;
    }
  }
}
