package io.github.r2r;

import io.github.r2r.eval.WordTokens;
import io.github.r2r.text.Sentence;
import io.github.r2r.text.SentenceSplitter;
import java.util.ArrayList;
import java.util.List;

/**
 * Zero-shot evidence: splits each document into sentences, scores every candidate sentence as a
 * document of its own for the query (with the same {@link DocumentScorer} kind that ranks the
 * documents: cosine of embeddings for bi-encoders, rank-head logit for cross-encoders), and keeps each
 * document's best candidate. Ties go to the earlier sentence.
 *
 * <p>Candidates are the sentences that can state an answer: not questions, and at least {@value
 * #MIN_ANSWER_WORDS} words long; a document without such a sentence has all its sentences as
 * candidates. Without this rule, titles and questions that repeat the query ("Durable medical
 * equipment.", "What are the social determinants of health?") score highest while answering nothing.
 * The length was chosen on MS MARCO train queries with the teacher's evidence sentences, not on the
 * set the accuracy is reported on (see {@code docs/explanations.md}).
 */
final class EvidenceSelector {
  /** The fewest words ({@link WordTokens}) of a sentence chosen when its document has longer ones. */
  static final int MIN_ANSWER_WORDS = 8;

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
    List<List<Sentence>> candidatesPerDocument = new ArrayList<>(documents.size());
    List<Document> sentenceDocuments = new ArrayList<>();
    for (int d = 0; d < documents.size(); d++) {
      List<Sentence> candidates = candidates(splitter.split(documents.get(d).text()));
      candidatesPerDocument.add(candidates);
      for (int s = 0; s < candidates.size(); s++) {
        sentenceDocuments.add(Document.of(d + "/" + s, candidates.get(s).text()));
      }
    }
    float[] scores = sentenceScorer.score(query, sentenceDocuments);
    List<Evidence> out = new ArrayList<>(documents.size());
    int offset = 0;
    for (List<Sentence> candidates : candidatesPerDocument) {
      int best = 0;
      for (int s = 1; s < candidates.size(); s++) {
        if (scores[offset + s] > scores[offset + best]) {
          best = s;
        }
      }
      Sentence chosen = candidates.get(best);
      out.add(new Evidence(chosen.text(), chosen.start(), chosen.end(), scores[offset + best]));
      offset += candidates.size();
    }
    return out;
  }

  /** The sentences that can state an answer, or all of them when none can. */
  static List<Sentence> candidates(List<Sentence> sentences) {
    List<Sentence> statements = new ArrayList<>();
    for (Sentence s : sentences) {
      if (!isQuestion(s.text()) && WordTokens.of(s.text()).size() >= MIN_ANSWER_WORDS) {
        statements.add(s);
      }
    }
    return statements.isEmpty() ? sentences : statements;
  }

  private static boolean isQuestion(String sentence) {
    int end = sentence.length();
    while (end > 0 && "\"')]”’»".indexOf(sentence.charAt(end - 1)) >= 0) {
      end--;
    }
    return end > 0 && (sentence.charAt(end - 1) == '?' || sentence.charAt(end - 1) == '？');
  }
}
