package io.github.r2r.examples;

import io.github.r2r.eval.Groundedness;
import io.github.r2r.eval.RougeL;
import io.github.r2r.training.data.FreeTextReasons;
import io.github.r2r.training.data.FreeTextTeacherReader;
import io.github.r2r.training.data.ReasonToRankReader;
import io.github.r2r.training.data.ScoresInterpretation;
import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * How closely another LLM's per-passage reasons match the Reason-to-Rank teacher's pointwise reasons on
 * the same passages: the ROUGE-L F1 that {@code EvaluateExplanations} computes for r2r's decoder,
 * computed for a second LLM instead. It calibrates the pointwise goal: what does a strong model that
 * reads the same passages, but writes its own words, score?
 *
 * <pre>
 * ReasonAgreement --reference ../shared/data/r2r-teacher/dev-dl19-top5.jsonl
 *                 --other ../shared/data/gpt4-teacher/dev-dl19-top20.jsonl
 * </pre>
 *
 * Passages are matched by query and passage text; {@code --examples N} prints the first N pairs. The other LLM's reason line is put in the
 * reference's framing ({@link FreeTextReasons#asPointwiseReason}).
 */
public final class ReasonAgreement {
  private static final String USAGE = "usage: ReasonAgreement --reference R2R_FILE.jsonl --other FREE_TEXT_FILE.jsonl [--examples N]";

  private ReasonAgreement() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, ReasonAgreement::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli = new CommandLine(args, Set.of("reference", "other", "examples"));
    // Every option is checked before the files are read.
    Path referenceFile = Path.of(cli.required("reference"));
    Path otherFile = Path.of(cli.required("other"));
    int examples = cli.intAtLeast("examples", 0, 0);
    // The scores columns are not used here; the DL19 files hold retrieval scores, not labels.
    List<TrainingQuery> reference = ReasonToRankReader.builder().scores(ScoresInterpretation.RETRIEVAL_SCORES).build()
        .read(referenceFile).queries();
    List<TrainingQuery> other = FreeTextTeacherReader.builder().scores(ScoresInterpretation.RETRIEVAL_SCORES).build()
        .read(otherFile).queries();
    Map<String, String> referenceReasons = new HashMap<>();
    for (TrainingQuery q : reference) {
      for (TrainingPassage p : q.passages()) {
        p.pointwiseReason().ifPresent(r -> referenceReasons.put(key(q, p), r));
      }
    }
    double sum = 0;
    int matched = 0;
    // Groundedness of both sides on the matched passages, as EvaluateExplanations computes it.
    double groundedOther = 0;
    double groundedReference = 0;
    int groundedCount = 0;
    for (TrainingQuery q : other) {
      for (TrainingPassage p : q.passages()) {
        Optional<String> theirs = p.pointwiseReason();
        String ours = referenceReasons.get(key(q, p));
        if (theirs.isPresent() && ours != null) {
          String framed = FreeTextReasons.asPointwiseReason(theirs.get());
          double f1 = RougeL.of(framed, ours).f1();
          sum += f1;
          List<String> sources = List.of(q.query(), p.text());
          OptionalDouble g1 = Groundedness.of(framed, sources);
          OptionalDouble g2 = Groundedness.of(ours, sources);
          if (g1.isPresent() && g2.isPresent()) {
            groundedOther += g1.getAsDouble();
            groundedReference += g2.getAsDouble();
            groundedCount++;
          }
          if (matched++ < examples) {
            System.out.printf(Locale.ROOT, "%.3f  other:     %s%n       reference: %s%n", f1, framed, ours);
          }
        }
      }
    }
    if (matched == 0) {
      // The files are the problem, not the arguments: an error of the input, without the usage.
      throw new IllegalArgumentException("no passage of " + otherFile + " has a reason in " + referenceFile);
    }
    System.out.printf(Locale.ROOT, "passages with both reasons: %d (of %d reference reasons)%n", matched,
        referenceReasons.size());
    System.out.printf(Locale.ROOT, "ROUGE-L F1 of the other LLM's reasons against the reference's: %.4f%n",
        sum / matched);
    if (groundedCount == 0) {
      System.out.println("groundedness on the same passages: undefined (no reason has a content word)");
    } else {
      System.out.printf(Locale.ROOT, "groundedness on the same passages: other LLM %.4f, reference %.4f%n",
          groundedOther / groundedCount, groundedReference / groundedCount);
    }
  }

  private static String key(TrainingQuery q, TrainingPassage p) {
    return q.query().strip() + "\t" + p.text().strip();
  }
}
