package io.github.r2r.training.train;

import io.github.r2r.eval.EvidenceMatch;
import io.github.r2r.evidence.EvidenceFeatures;
import io.github.r2r.model.SequenceRunner;
import io.github.r2r.text.Sentence;
import io.github.r2r.text.SentenceSplitter;
import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import io.github.r2r.util.ProgressBar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns teacher data into {@link EvidenceExample}s: every passage with a {@code
 * direct_answer_sentence} that names a sentence (not a placeholder such as "Not applicable", see
 * {@link EvidenceMatch#saysNoAnswer}) and that one of its candidate sentences matches by {@link
 * EvidenceMatch} (normalised text, or the closest sentence by ROUGE-L when the teacher did not quote
 * verbatim). Features come from {@link EvidenceFeatures}, exactly as the Reranker computes them.
 */
public final class EvidenceExamples {
  /** What was kept and why the rest was left out. */
  public record Result(List<EvidenceExample> examples, int noEvidence, int placeholder, int notMatched) {
    public String summary() {
      return String.format(
          "%d evidence examples; left out: %d passages without a teacher sentence, %d with a placeholder"
              + " (\"Not applicable\"), %d whose teacher sentence no candidate matches",
          examples.size(), noEvidence, placeholder, notMatched);
    }
  }

  /** A passage whose teacher sentence names a sentence. */
  public record Target(String qid, String query, String passage, String teacherSentence) {}

  /** The targets of some queries, in query order, and the passages left out. */
  public record Targets(List<Target> targets, int noEvidence, int placeholder) {}

  private EvidenceExamples() {}

  /** The passages with a teacher sentence that is not a placeholder. */
  public static Targets targets(List<TrainingQuery> queries) {
    List<Target> out = new ArrayList<>();
    int noEvidence = 0;
    int placeholder = 0;
    for (TrainingQuery query : queries) {
      for (TrainingPassage passage : query.passages()) {
        Optional<String> sentence = passage.evidenceSentence();
        if (sentence.isEmpty()) {
          noEvidence++;
        } else if (EvidenceMatch.saysNoAnswer(sentence.get())) {
          placeholder++;
        } else {
          out.add(new Target(query.qid(), query.query(), passage.text(), sentence.get()));
        }
      }
    }
    return new Targets(out, noEvidence, placeholder);
  }

  /** Which candidates match the target's teacher sentence (judged among all the passage's sentences). */
  public static boolean[] matches(List<Sentence> candidates, Target target, SentenceSplitter splitter) {
    List<String> all = splitter.split(target.passage()).stream().map(Sentence::text).toList();
    boolean[] matches = new boolean[candidates.size()];
    for (int s = 0; s < matches.length; s++) {
      matches[s] = EvidenceMatch.matches(candidates.get(s).text(), all, target.teacherSentence());
    }
    return matches;
  }

  /** @param progress receives one step per query; may be null */
  public static Result of(List<TrainingQuery> queries, EvidenceFeatures features, SentenceSplitter splitter,
      SequenceRunner runner, ProgressBar progress) {
    Targets targets = targets(queries);
    // Grouped by query: one query embedding and one encoder call per query.
    Map<String, List<Target>> byQuery = new LinkedHashMap<>();
    for (Target t : targets.targets()) {
      byQuery.computeIfAbsent(t.qid(), k -> new ArrayList<>()).add(t);
    }
    List<EvidenceExample> out = new ArrayList<>();
    int notMatched = 0;
    for (TrainingQuery query : queries) {
      List<Target> usable = byQuery.getOrDefault(query.qid(), List.of());
      if (!usable.isEmpty()) {
        EvidenceFeatures.ForQuery computed =
            features.compute(query.query(), usable.stream().map(Target::passage).toList(), runner);
        for (int p = 0; p < usable.size(); p++) {
          EvidenceFeatures.Candidates c = computed.documents().get(p);
          boolean[] matches = matches(c.sentences(), usable.get(p), splitter);
          if (anyTrue(matches)) {
            out.add(new EvidenceExample(query.qid(), computed.query(), c.sentenceCosines(), c.spanStates(), matches));
          } else {
            notMatched++;
          }
        }
      }
      if (progress != null) {
        progress.step(1);
      }
    }
    return new Result(out, targets.noEvidence(), targets.placeholder(), notMatched);
  }

  static boolean anyTrue(boolean[] values) {
    for (boolean v : values) {
      if (v) {
        return true;
      }
    }
    return false;
  }
}
