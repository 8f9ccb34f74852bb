package io.github.r2r.examples;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.github.r2r.Document;
import io.github.r2r.Evidence;
import io.github.r2r.EvidenceScoring;
import io.github.r2r.Explain;
import io.github.r2r.RankedDocument;
import io.github.r2r.Ranking;
import io.github.r2r.Reranker;
import io.github.r2r.eval.EvidenceMatch;
import io.github.r2r.eval.Groundedness;
import io.github.r2r.eval.RougeL;
import io.github.r2r.eval.WordTokens;
import io.github.r2r.generate.DecodingOptions;
import io.github.r2r.generate.ReasonInput;
import io.github.r2r.generate.ReasonKind;
import io.github.r2r.generate.ReasonModel;
import io.github.r2r.model.Precision;
import io.github.r2r.model.RankingModel;
import io.github.r2r.text.Sentence;
import io.github.r2r.text.SentenceSplitter;
import io.github.r2r.training.data.ReadResult;
import io.github.r2r.training.data.ReasonToRankReader;
import io.github.r2r.training.data.ScoresInterpretation;
import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import io.github.r2r.util.AtomicFiles;
import io.github.r2r.util.ProgressBar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Measures r2r's explanations against a Reason-to-Rank teacher file (e.g. {@code
 * r2r-teacher/dev-dl19-top5.jsonl}) next to simple baselines.
 *
 * <pre>
 * EvaluateExplanations --data FILE --json OUT [--model bundled|NAME|MODEL_DIR] [--examples N]
 *     [--reasons DIR|none] [--beam N] [--evidence auto|head|zero-shot|none] [--skip N] [--copy-bias F]
 *     [--length-penalty F]
 *     [--immediate-repeats banned|allowed] [--no-repeat-ngram N] [--whole-word-copies on|off]
 *     [--pair-ranks teacher|r2r] [--grounded-words on|off] [--max-ungrounded-words N|unlimited]
 *     [--max-word-occurrences N|unlimited] [--dump FILE.jsonl]
 * </pre>
 *
 * <p>{@code --max-ungrounded-words N} lets each reason write at most N content words that are not in its
 * query and passages ({@link DecodingOptions#maxUngroundedWords}); {@code --grounded-words on} is N = 0.
 * {@code --max-word-occurrences N} lets one content word occur at most N times in a reason ({@link
 * DecodingOptions#maxWordOccurrences}).
 *
 * <p>{@code --evidence} chooses how evidence is scored ({@link EvidenceScoring}): {@code auto} (the
 * default: the model's trained evidence head when it has one), {@code head}, {@code zero-shot}; {@code
 * none} scores reasons only (no sentence encodings, much faster). {@code --skip N}
 * leaves out the file's first N queries (e.g. to score the queries TrainReasons held out). {@code
 * --dump} writes one JSON line per generated reason (kind, query, passage ids, r2r's reason, the
 * teacher's, r2r's evidence for a pointwise reason's passage, ROUGE-L F1 and groundedness), for
 * reading or analysing the reasons one by one; it needs a reason decoder, so not {@code --reasons none}.
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
 *       direct_reason} and {@code listwise_reason}, for r2r's reason decoder ({@code --reasons DIR},
 *       default: the model directory's own decoder, or the one shipped for the model, if any; {@code none} skips reasons) and the {@link
 *       TemplateReasons} baseline. Pointwise: every passage with a teacher reason. Comparative: every
 *       adjacent pair (A directly above B) of the teacher's order, against A's {@code listwise_reason}
 *       as the teacher wrote it; the template is scored on the same pairs. For a decoder with rank
 *       hints, a pointwise reason is given the passage's rank in r2r's ranking of the window, a
 *       comparative one A's position in the teacher's order (the ranking whose pair it explains), or
 *       with {@code --pair-ranks r2r} A's rank in r2r's ranking.
 *   <li>Groundedness ({@link Groundedness}) against the query and the passage(s) explained: of r2r's
 *       reasons, of its evidence (a passage sentence, so 1 by construction), of the template reasons,
 *       and of the teacher's reasons for reference.
 * </ul>
 */
public final class EvaluateExplanations {
  private static final String USAGE =
      "usage: EvaluateExplanations --data FILE.jsonl --json OUT.json"
          + " [--model bundled|all-minilm-l6-v2|bge-small-en-v1.5|e5-small-v2|MODEL_DIR] [--examples N]"
          + " [--reasons DIR|none] [--beam N] [--evidence auto|head|zero-shot|none] [--skip N] [--copy-bias F] [--length-penalty F]"
          + " [--immediate-repeats banned|allowed] [--no-repeat-ngram N] [--whole-word-copies on|off] [--grounded-words on|off] [--max-ungrounded-words N|unlimited]"
          + " [--max-word-occurrences N|unlimited] [--pair-ranks teacher|r2r] [--dump FILE.jsonl] " + ModelOption.PRECISION_USAGE + "\n"
          + "--skip N leaves out the file's first N queries; --dump writes each generated reason (not with --reasons none)";

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
  private final Mean pointwiseRouge = new Mean();
  private final Mean comparativeRouge = new Mean();
  private final Mean pointwiseGrounded = new Mean();
  private final Mean comparativeGrounded = new Mean();
  // Lengths in words (WordTokens): ROUGE-L F1 is highest for reasons about as long as the teacher's.
  private final Mean pointwiseWords = new Mean();
  private final Mean teacherPointwiseWords = new Mean();
  private final ReasonModel reasons;
  private final DecodingOptions decoding;
  private final List<String> reasonExamples = new ArrayList<>();
  /** Writes the dump's lines: one line each, nulls kept, text as it is. */
  private static final Gson DUMP_JSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
  /** One JSON line per generated reason, for {@code --dump}. */
  private final List<String> dumpLines = new ArrayList<>();
  private double reasonSeconds;
  private int passages;
  private int examplesLeft;
  private final int examplesWanted;
  private boolean exampleShownForQuery;
  /** Whether a comparative reason's rank hint is the pair's position in r2r's ranking of the window. */
  private final boolean r2rPairRanks;

  private EvaluateExplanations(int examples, ReasonModel reasons, DecodingOptions decoding, boolean r2rPairRanks) {
    this.r2rPairRanks = r2rPairRanks;
    this.examplesLeft = examples;
    this.examplesWanted = examples;
    this.reasons = reasons;
    this.decoding = decoding;
  }

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, EvaluateExplanations::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli =
        new CommandLine(
            args, Set.of("data", "json", "model", "examples", "reasons", "beam", "evidence", "skip", "copy-bias", "length-penalty", "immediate-repeats", "no-repeat-ngram",
                "whole-word-copies", "pair-ranks", "grounded-words", "max-ungrounded-words", "max-word-occurrences", "precision", "dump"));
    // Every option is checked before the data is read and the model loaded, so that a mistyped one fails at once.
    Path data = Path.of(cli.required("data"));
    Path json = cli.requiredOutputFile("json");
    Optional<Path> dump = cli.outputFile("dump");
    String reasonsOption = cli.optional("reasons").orElse(null);
    if (dump.isPresent() && "none".equals(reasonsOption)) {
      throw new UsageException("--dump writes the generated reasons, which --reasons none turns off");
    }
    String model = cli.optional("model").orElse("bundled");
    DecodingOptions decoding = decoding(cli);
    String pairRanks = cli.choice("pair-ranks", "teacher", "teacher", "r2r");
    int skip = cli.intAtLeast("skip", 0, 0);
    int examples = cli.intAtLeast("examples", 3, 0);
    String evidenceOption = cli.choice("evidence", "auto", "auto", "head", "zero-shot", "none");
    boolean evidence = !evidenceOption.equals("none");
    // "none" asks for no evidence at all; the scoring is then never used.
    EvidenceScoring evidenceScoring =
        evidence ? ModelOption.evidenceScoring(evidenceOption) : EvidenceScoring.AUTO;
    Precision precision = ModelOption.precision(cli);
    ReadResult read =
        ReasonToRankReader.builder().scores(ScoresInterpretation.RETRIEVAL_SCORES).build().read(data);
    System.err.println(read.report().summary());
    List<TrainingQuery> queries = read.queries();
    if (queries.isEmpty()) {
      throw new IllegalArgumentException(data + " has no queries to evaluate");
    }
    if (skip >= queries.size()) {
      throw new UsageException("--skip " + skip + " leaves none of the " + queries.size() + " queries of " + data
          + ": it must be less than " + queries.size());
    }
    queries = queries.subList(skip, queries.size());
    int window = queries.stream().mapToInt(q -> q.passages().size()).max().orElse(1);

    long start = System.nanoTime();
    String modelName;
    EvaluateExplanations evaluation;
    try (Reranker reranker = reranker(model, evidence ? window : 0, evidenceScoring, precision);
        ReasonModel reasons = reasonModel(reranker.model(), model, reasonsOption)) {
      if (dump.isPresent() && reasons == null) {
        throw new UsageException("--dump writes the generated reasons, but model " + model
            + " has no reason decoder: give one with --reasons DIR");
      }
      evaluation = new EvaluateExplanations(examples, reasons, decoding, pairRanks.equals("r2r"));
      modelName = reranker.model().config().name();
      ProgressBar progress = new ProgressBar(System.err, "explaining", queries.size());
      for (TrainingQuery query : queries) {
        evaluation.add(query, reranker);
        progress.step(1);
      }
      progress.finish();
    }
    evaluation.reasonExamples.forEach(e -> System.out.println(e + "\n"));
    if (dump.isPresent()) {
      AtomicFiles.write(dump.get(), writer -> {
        for (String line : evaluation.dumpLines) {
          writer.write(line);
          writer.write('\n');
        }
      });
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    JsonObject result = evaluation.result(model, modelName, queries.size(), seconds);
    result.addProperty("evidence_scoring", evidence ? evidenceOption : "none");
    result.addProperty("precision", precision.toString());
    String text = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create().toJson(result);
    AtomicFiles.writeString(json, text + "\n");
    System.out.println(text);
  }

  /** The reason decoding the options ask for; each option not given keeps the library's default. */
  static DecodingOptions decoding(CommandLine cli) {
    DecodingOptions defaults = DecodingOptions.defaults();
    int beam = cli.intInRange("beam", defaults.beamSize(), 1, DecodingOptions.MAX_BEAM_SIZE);
    float copyBias = (float) cli.doubleValue("copy-bias", defaults.copyBias());
    boolean noImmediateRepeat = cli.choice(
        "immediate-repeats", defaults.noImmediateRepeat() ? "banned" : "allowed", "banned", "allowed").equals("banned");
    int noRepeatNgram = cli.intAtLeast("no-repeat-ngram", defaults.noRepeatNgram(), 0);
    double lengthPenalty = cli.doubleValue("length-penalty", defaults.lengthPenalty());
    boolean wholeWordCopies = onOff(cli, "whole-word-copies", defaults.wholeWordCopies());
    boolean groundedWords = onOff(cli, "grounded-words", defaults.groundedWords());
    if (groundedWords && cli.optional("max-ungrounded-words").isPresent()) {
      throw new UsageException("--grounded-words on is --max-ungrounded-words 0: give one of them");
    }
    int maxUngroundedWords = groundedWords ? 0 : cli.limit("max-ungrounded-words", defaults.maxUngroundedWords(), 0);
    int maxWordOccurrences = cli.limit("max-word-occurrences", defaults.maxWordOccurrences(), 1);
    try {
      return new DecodingOptions(beam, defaults.maxTokens(), noRepeatNgram, lengthPenalty, copyBias,
          noImmediateRepeat, wholeWordCopies, maxUngroundedWords, maxWordOccurrences);
    } catch (IllegalArgumentException e) {
      // The library checks the ranges (a beam of at least 1, a non-negative copy bias, ...) and names the setting.
      throw new UsageException("decoding options: " + e.getMessage());
    }
  }

  /** The decoding options as the result records them; a limit that is not set is {@code null}, not 2^31-1. */
  static JsonObject decodingJson(DecodingOptions decoding) {
    JsonObject out = new Gson().toJsonTree(decoding).getAsJsonObject();
    if (decoding.maxUngroundedWords() == DecodingOptions.UNLIMITED) {
      out.add("maxUngroundedWords", JsonNull.INSTANCE);
    }
    if (decoding.maxWordOccurrences() == DecodingOptions.UNLIMITED) {
      out.add("maxWordOccurrences", JsonNull.INSTANCE);
    }
    return out;
  }

  private static boolean onOff(CommandLine cli, String option, boolean fallback) {
    return cli.choice(option, fallback ? "on" : "off", "on", "off").equals("on");
  }

  /**
   * The decoder to evaluate: a directory, "none", or (null) the model's own: the one in its model
   * directory, or the one shipped for it (as the Reranker chooses, {@link ModelOption#shippedExplainers}),
   * if any.
   */
  private static ReasonModel reasonModel(RankingModel model, String modelOption, String option) throws IOException {
    if (option == null) {
      Path dir = ModelOption.directory(modelOption);
      if (dir != null) {
        return ReasonModel.find(model, dir).orElse(null);
      }
      Optional<String> shipped = ModelOption.shippedExplainers(modelOption);
      return shipped.isPresent() ? ReasonModel.shipped(shipped.get(), model).orElse(null) : null;
    }
    return option.equals("none") ? null : ReasonModel.load(model, Path.of(option));
  }

  /** @param window documents to explain with evidence; 0 for none */
  private static Reranker reranker(String model, int window, EvidenceScoring scoring, Precision precision) {
    Reranker.Builder builder = Reranker.builder().evidenceScoring(scoring).precision(precision);
    if (window > 0) {
      builder.explain(Explain.EVIDENCE, window);
    }
    ModelOption.select(builder, model);
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
    Map<String, Integer> rankById = new HashMap<>();
    for (RankedDocument d : ranking) {
      d.evidence().ifPresent(e -> evidenceById.put(d.id(), e));
      rankById.put(d.id(), d.rank());
    }
    for (TrainingPassage passage : query.passages()) {
      passages++;
      List<String> sources = List.of(query.query(), passage.text());
      Evidence evidence = evidenceById.get(passage.id());
      if (evidence != null) {
        add(evidenceGroundedness, Groundedness.of(evidence.text(), sources));
        passage
            .evidenceSentence()
            .filter(teacher -> !EvidenceMatch.saysNoAnswer(teacher))
            .ifPresent(teacher -> scoreEvidence(query, passage, evidence, teacher));
      }

      add(templatePointwiseGrounded, Groundedness.of(TemplateReasons.pointwise(query.query(), passage.text()), sources));
      // A pointwise reason explains r2r's ranking of the window: the rank hint is r2r's rank.
      int rank = rankById.get(passage.id());
      String evidenceText = evidence == null ? null : evidence.text();
      passage.pointwiseReason().ifPresent(teacher -> scorePointwise(query, passage, rank, teacher, sources, evidenceText));
    }
    List<TrainingPassage> order = query.passagesInTeacherOrder().orElse(List.of());
    for (int i = 0; i + 1 < order.size(); i++) {
      TrainingPassage above = order.get(i);
      TrainingPassage below = order.get(i + 1);
      // The pairs are the teacher's (A directly above B in its order), so by default the ranking explained
      // is the teacher's and the rank hint is A's position in it; --pair-ranks r2r gives A's rank in r2r's
      // ranking of the window instead (which need not be directly above B there).
      int aboveRank = r2rPairRanks ? rankById.get(above.id()) : i + 1;
      List<String> sources = List.of(query.query(), above.text(), below.text());
      above.comparativeReason().ifPresent(teacher -> {
        String template = TemplateReasons.comparative(query.query());
        templateComparativeRouge.add(RougeL.of(template, teacher).f1());
        add(templateComparativeGrounded, Groundedness.of(template, sources));
        add(teacherComparativeGrounded, Groundedness.of(teacher, sources));
        if (reasons != null) {
          pending.add(new PendingReason(
              reasons.comparativeInput(query.query(), above.text(), below.text(), aboveRank), query.query(), teacher,
              sources, List.of(above.id(), below.id()), null));
        }
      });
    }
    generatePending();
  }

  /**
   * A reason to generate and score against the teacher's.
   *
   * @param passageIds the passage explained, or the pair (upper first)
   * @param evidence r2r's evidence sentence for a pointwise reason's passage, or null (comparative, or
   *     no evidence asked for)
   */
  private record PendingReason(
      ReasonInput input, String query, String teacher, List<String> sources, List<String> passageIds,
      String evidence) {}

  private final List<PendingReason> pending = new ArrayList<>();

  private void scorePointwise(
      TrainingQuery query, TrainingPassage passage, int rank, String teacher, List<String> sources,
      String evidence) {
    templatePointwiseRouge.add(RougeL.of(TemplateReasons.pointwise(query.query(), passage.text()), teacher).f1());
    add(teacherPointwiseGrounded, Groundedness.of(teacher, sources));
    if (reasons != null) {
      pending.add(new PendingReason(reasons.pointwiseInput(query.query(), passage.text(), rank), query.query(), teacher,
          sources, List.of(passage.id()), evidence));
    }
  }

  /** Generates one query's reasons in one batch (as the Reranker does) and scores them. */
  private void generatePending() {
    if (pending.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    List<String> generated = reasons.generate(pending.stream().map(PendingReason::input).toList(), decoding);
    reasonSeconds += (System.nanoTime() - start) / 1e9;
    for (int i = 0; i < pending.size(); i++) {
      PendingReason p = pending.get(i);
      String ours = generated.get(i);
      boolean pointwise = p.input().kind() == ReasonKind.POINTWISE;
      Mean rouge = pointwise ? pointwiseRouge : comparativeRouge;
      double f1 = RougeL.of(ours, p.teacher()).f1();
      rouge.add(f1);
      if (pointwise) {
        pointwiseWords.add(WordTokens.of(ours).size());
        teacherPointwiseWords.add(WordTokens.of(p.teacher()).size());
      }
      OptionalDouble grounded = Groundedness.of(ours, p.sources());
      add(pointwise ? pointwiseGrounded : comparativeGrounded, grounded);
      dumpLines.add(dumpLine(p, ours, f1, grounded));
      if (rouge.count() % 5 == 1 && rouge.count() <= 5 * examplesWanted) {
        reasonExamples.add(String.format("%s | query: %s%n  r2r:     %s%n  teacher: %s",
            pointwise ? "pointwise" : "comparative", p.query(), ours, p.teacher()));
      }
    }
    pending.clear();
  }

  private static String dumpLine(PendingReason p, String ours, double f1, OptionalDouble grounded) {
    JsonObject line = new JsonObject();
    line.addProperty("kind", p.input().kind() == ReasonKind.POINTWISE ? "pointwise" : "comparative");
    line.addProperty("query", p.query());
    line.add("passage_ids", DUMP_JSON.toJsonTree(p.passageIds()));
    line.addProperty("r2r", ours);
    line.addProperty("teacher", p.teacher());
    line.addProperty("r2r_evidence", p.evidence());
    line.addProperty("rougeL", f1);
    line.add("groundedness", grounded.isPresent() ? new JsonPrimitive(grounded.getAsDouble()) : JsonNull.INSTANCE);
    return DUMP_JSON.toJson(line);
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
    out.add("rougeL_pointwise", number(pointwiseRouge.value()));
    out.add("rougeL_comparative", number(comparativeRouge.value()));
    out.add("evidence_accuracy", number(evidenceAccuracy.value()));
    // The reasons' groundedness when there are reasons (the evidence's is 1 by construction).
    out.add("groundedness", number(reasons != null
        ? Mean.of(pointwiseGrounded, comparativeGrounded) : evidenceGroundedness.value()));
    out.add("groundedness_pointwise", number(pointwiseGrounded.value()));
    out.add("groundedness_comparative", number(comparativeGrounded.value()));
    out.add("groundedness_evidence", number(evidenceGroundedness.value()));
    out.addProperty("pointwise_reasons", pointwiseRouge.count());
    out.addProperty("comparative_reasons", comparativeRouge.count());
    out.add("mean_words_pointwise", number(pointwiseWords.value()));
    out.add("teacher_mean_words_pointwise", number(teacherPointwiseWords.value()));
    out.add("decoding", reasons == null ? JsonNull.INSTANCE : decodingJson(decoding));
    out.addProperty("rank_hints", reasons == null ? 0 : reasons.config().rankHints());
    out.addProperty("comparative_rank_hint", r2rPairRanks ? "r2r rank of the upper passage" : "teacher position of the pair");
    out.add("reason_seconds", number(reasons == null ? Double.NaN : Math.round(reasonSeconds * 10) / 10.0));
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
        "rougeL_pointwise/rougeL_comparative: ROUGE-L F1 of r2r's generated reasons against the teacher's"
            + " direct_reason (every passage) and listwise_reason (the upper passage of each adjacent pair of"
            + " the teacher's order; the decoder reads query, upper and lower passage); null without a reason"
            + " decoder. groundedness: of r2r's reasons when there are any, else of its evidence (a passage"
            + " sentence, 1 by construction); against the query and the passage(s) the reason was given."
            + " evidence_accuracy: share of the evidence_passages (teacher direct_answer_sentence"
            + " present and not a placeholder such as 'Not applicable', 'N/A', 'None') whose"
            + " evidence (scored as evidence_scoring says) matches the teacher sentence (EvidenceMatch: equal"
            + " after normalisation, or ROUGE-L F1 >= 0.6 and no passage sentence higher); baseline: the"
            + " lead sentence. evidence_locatable: share of those passages where some sentence can match"
            + " at all (the ceiling). baseline reasons are fixed templates (TemplateReasons); groundedness:"
            + " share of content words (NLTK stop words removed, final s folded) found in the query or"
            + " the passage (for a comparative reason: the query or either passage of the pair); teacher:"
            + " the same for the teacher's reasons, for reference.");
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
