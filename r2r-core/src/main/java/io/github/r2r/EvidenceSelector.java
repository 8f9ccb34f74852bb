package io.github.r2r;

import io.github.r2r.evidence.AnswerSentences;
import io.github.r2r.evidence.EvidenceFeatures;
import io.github.r2r.evidence.EvidenceHead;
import io.github.r2r.model.SequenceRunner;
import io.github.r2r.text.Sentence;
import io.github.r2r.text.SentenceSplitter;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses each document's evidence: the best of its candidate sentences ({@link AnswerSentences}) by
 * one of two scores. Ties go to the earlier sentence.
 *
 * <ul>
 *   <li>{@link #zeroShot}: every candidate is scored as a document of its own for the query, with the
 *       same {@link DocumentScorer} kind that ranks the documents (cosine of embeddings for
 *       bi-encoders, rank-head logit for cross-encoders).
 *   <li>{@link #trained}: an {@link EvidenceHead} scores the candidates' {@link EvidenceFeatures}
 *       (the zero-shot cosine and the sentence's token states read in its document); bi-encoders only.
 * </ul>
 */
final class EvidenceSelector {
  /** Per document, its candidate sentences and a score for each. */
  private interface CandidateScores {
    List<Scored> score(String query, List<Document> documents);
  }

  private record Scored(List<Sentence> candidates, float[] scores) {}

  private final CandidateScores scoring;

  private EvidenceSelector(CandidateScores scoring) {
    this.scoring = scoring;
  }

  /**
   * @param sentenceScorer scores sentences; it should not share an embedding cache with the document
   *     scorer, whose ids it would collide with
   */
  static EvidenceSelector zeroShot(SentenceSplitter splitter, DocumentScorer sentenceScorer) {
    return new EvidenceSelector((query, documents) -> {
      List<List<Sentence>> candidatesPerDocument = new ArrayList<>(documents.size());
      List<Document> sentenceDocuments = new ArrayList<>();
      for (int d = 0; d < documents.size(); d++) {
        List<Sentence> candidates = AnswerSentences.candidates(splitter.split(documents.get(d).text()));
        candidatesPerDocument.add(candidates);
        for (int s = 0; s < candidates.size(); s++) {
          sentenceDocuments.add(Document.of(d + "/" + s, candidates.get(s).text()));
        }
      }
      float[] scores = sentenceScorer.score(query, sentenceDocuments);
      List<Scored> out = new ArrayList<>(documents.size());
      int offset = 0;
      for (List<Sentence> candidates : candidatesPerDocument) {
        float[] own = new float[candidates.size()];
        System.arraycopy(scores, offset, own, 0, own.length);
        out.add(new Scored(candidates, own));
        offset += own.length;
      }
      return out;
    });
  }

  /** @param runner the encoder's batching (the Reranker's length-sorted batches, side by side) */
  static EvidenceSelector trained(EvidenceFeatures features, EvidenceHead head, SequenceRunner runner) {
    return new EvidenceSelector((query, documents) -> {
      List<String> texts = documents.stream().map(Document::text).toList();
      EvidenceFeatures.ForQuery computed = features.compute(query, texts, runner);
      List<Scored> out = new ArrayList<>(documents.size());
      for (EvidenceFeatures.Candidates c : computed.documents()) {
        float[] scores = new float[c.sentences().size()];
        for (int s = 0; s < scores.length; s++) {
          scores[s] = head.score(computed.query(), c.sentenceCosines()[s], c.spanStates()[s]);
        }
        out.add(new Scored(c.sentences(), scores));
      }
      return out;
    });
  }

  /** One evidence per document, in input order; documents must have non-blank text. */
  List<Evidence> select(String query, List<Document> documents) {
    List<Evidence> out = new ArrayList<>(documents.size());
    for (Scored scored : scoring.score(query, documents)) {
      int best = 0;
      for (int s = 1; s < scored.scores().length; s++) {
        if (scored.scores()[s] > scored.scores()[best]) {
          best = s;
        }
      }
      Sentence chosen = scored.candidates().get(best);
      out.add(new Evidence(chosen.text(), chosen.start(), chosen.end(), scored.scores()[best]));
    }
    return out;
  }
}
