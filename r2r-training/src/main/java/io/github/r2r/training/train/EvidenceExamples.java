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
  /**
   * What was kept and why the rest was left out.
   *
   * @param examples the examples kept, in query order
   * @param noEvidence passages without a teacher sentence
   * @param placeholder passages whose teacher sentence says there is no answer ("Not applicable")
   * @param notMatched passages whose teacher sentence no candidate sentence matches
   */
  public record Result(List<EvidenceExample> examples, int noEvidence, int placeholder, int notMatched) {
    /** {@return one line counting what was kept and what was left out, and why} */
    public String summary() {
      return String.format(
          "%d evidence examples; left out: %d passages without a teacher sentence, %d with a placeholder"
              + " (\"Not applicable\"), %d whose teacher sentence no candidate matches",
          examples.size(), noEvidence, placeholder, notMatched);
    }
  }

  /**
   * A passage whose teacher sentence names a sentence.
   *
   * @param qid the query id
   * @param query the query text
   * @param passage the passage text
   * @param teacherSentence the teacher's evidence sentence
   */
  public record Target(String qid, String query, String passage, String teacherSentence) {}

  /**
   * The targets of some queries, in query order, and the passages left out.
   *
   * @param targets the passages with a usable teacher sentence
   * @param noEvidence passages without a teacher sentence
   * @param placeholder passages whose teacher sentence says there is no answer
   */
  public record Targets(List<Target> targets, int noEvidence, int placeholder) {}

  private EvidenceExamples() {}

  /**
   * The passages with a teacher sentence that is not a placeholder.
   *
   * @param queries the queries, with their passages' evidence sentences
   * @return the targets and the counts of passages left out
   */
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

  /**
   * Which candidates match the target's teacher sentence (judged among all the passage's sentences).
   *
   * @param candidates the passage's candidate sentences
   * @param target the passage and its teacher sentence
   * @param splitter splits the passage into all its sentences
   * @return one flag per candidate, in order
   */
  public static boolean[] matches(List<Sentence> candidates, Target target, SentenceSplitter splitter) {
    List<String> all = splitter.split(target.passage()).stream().map(Sentence::text).toList();
    boolean[] matches = new boolean[candidates.size()];
    for (int s = 0; s < matches.length; s++) {
      matches[s] = EvidenceMatch.matches(candidates.get(s).text(), all, target.teacherSentence());
    }
    return matches;
  }

  /**
   * Computes the evidence examples of {@code queries}: the features of every target passage's
   * candidate sentences, with which of them match the teacher's sentence.
   *
   * @param queries the queries, with their passages' evidence sentences
   * @param features computes the features, as the Reranker does
   * @param splitter splits passages into sentences
   * @param runner runs the encoder (one call per query)
   * @param progress receives one step per query; may be null
   * @return the examples and the counts of passages left out
   */
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
