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
import java.util.List;
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

  private EvidenceExamples() {}

  /** @param progress receives one step per query; may be null */
  public static Result of(List<TrainingQuery> queries, EvidenceFeatures features, SentenceSplitter splitter,
      SequenceRunner runner, ProgressBar progress) {
    List<EvidenceExample> out = new ArrayList<>();
    int noEvidence = 0;
    int placeholder = 0;
    int notMatched = 0;
    for (TrainingQuery query : queries) {
      List<TrainingPassage> usable = new ArrayList<>();
      List<String> teacher = new ArrayList<>();
      for (TrainingPassage passage : query.passages()) {
        Optional<String> sentence = passage.evidenceSentence();
        if (sentence.isEmpty()) {
          noEvidence++;
        } else if (EvidenceMatch.saysNoAnswer(sentence.get())) {
          placeholder++;
        } else {
          usable.add(passage);
          teacher.add(sentence.get());
        }
      }
      if (!usable.isEmpty()) {
        EvidenceFeatures.ForQuery computed =
            features.compute(query.query(), usable.stream().map(TrainingPassage::text).toList(), runner);
        for (int p = 0; p < usable.size(); p++) {
          EvidenceFeatures.Candidates c = computed.documents().get(p);
          List<String> all = splitter.split(usable.get(p).text()).stream().map(Sentence::text).toList();
          boolean[] matches = new boolean[c.sentences().size()];
          boolean any = false;
          for (int s = 0; s < matches.length; s++) {
            matches[s] = EvidenceMatch.matches(c.sentences().get(s).text(), all, teacher.get(p));
            any |= matches[s];
          }
          if (any) {
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
    return new Result(out, noEvidence, placeholder, notMatched);
  }
}
