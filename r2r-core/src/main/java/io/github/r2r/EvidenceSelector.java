package io.github.r2r;

import io.github.r2r.text.Sentence;
import io.github.r2r.text.SentenceSplitter;
import java.util.ArrayList;
import java.util.List;

/**
 * Zero-shot evidence: splits each document into sentences, scores every sentence as a document of its
 * own for the query (with the same {@link DocumentScorer} kind that ranks the documents: cosine of
 * embeddings for bi-encoders, rank-head logit for cross-encoders), and keeps each document's best
 * sentence. Ties go to the earlier sentence.
 */
final class EvidenceSelector {
  private final SentenceSplitter splitter;
  private final DocumentScorer sentenceScorer;

  /**
   * @param sentenceScorer scores sentences; it should not share an embedding cache with the document
   *     scorer, whose ids it would collide with
   */
  EvidenceSelector(SentenceSplitter splitter, DocumentScorer sentenceScorer) {
    this.splitter = splitter;
    this.sentenceScorer = sentenceScorer;
  }

  /** One evidence per document, in input order; documents must have non-blank text. */
  List<Evidence> select(String query, List<Document> documents) {
    List<List<Sentence>> sentencesPerDocument = new ArrayList<>(documents.size());
    List<Document> sentenceDocuments = new ArrayList<>();
    for (int d = 0; d < documents.size(); d++) {
      List<Sentence> sentences = splitter.split(documents.get(d).text());
      sentencesPerDocument.add(sentences);
      for (int s = 0; s < sentences.size(); s++) {
        sentenceDocuments.add(Document.of(d + "/" + s, sentences.get(s).text()));
      }
    }
    float[] scores = sentenceScorer.score(query, sentenceDocuments);
    List<Evidence> out = new ArrayList<>(documents.size());
    int offset = 0;
    for (List<Sentence> sentences : sentencesPerDocument) {
      int best = 0;
      for (int s = 1; s < sentences.size(); s++) {
        if (scores[offset + s] > scores[offset + best]) {
          best = s;
        }
      }
      Sentence chosen = sentences.get(best);
      out.add(new Evidence(chosen.text(), chosen.start(), chosen.end(), scores[offset + best]));
      offset += sentences.size();
    }
    return out;
  }
}
