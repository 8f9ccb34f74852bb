package io.github.r2r.evidence;

import io.github.r2r.eval.WordTokens;
import io.github.r2r.text.Sentence;
import java.util.ArrayList;
import java.util.List;

/**
 * The sentences of a document that can state an answer, and so may be chosen as its evidence: not
 * questions, and at least {@value #MIN_ANSWER_WORDS} words long. A document without such a sentence
 * has all its sentences as candidates, so every document gets evidence.
 *
 * <p>Without this rule, titles and questions that repeat the query ("Durable medical equipment.",
 * "What are the social determinants of health?") score highest while answering nothing. The length
 * was chosen on MS MARCO train queries with the teacher's evidence sentences, not on the set the
 * accuracy is reported on (see {@code docs/explanations.md}). The evidence selector and the evidence
 * head's trainer both use this rule, so the head learns to choose among the sentences it will be
 * offered.
 */
public final class AnswerSentences {
  /** The fewest words ({@link WordTokens}) of a candidate when its document has longer sentences. */
  public static final int MIN_ANSWER_WORDS = 8;

  private AnswerSentences() {}

  /**
   * The sentences that can state an answer, in document order, or all of them when none can.
   *
   * @param sentences a document's sentences, in order
   * @return the statements of at least {@value #MIN_ANSWER_WORDS} words, or {@code sentences} itself
   *     when there is none
   */
  public static List<Sentence> candidates(List<Sentence> sentences) {
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
