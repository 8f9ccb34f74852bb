package io.github.r2r.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.r2r.text.Sentence;
import io.github.r2r.text.SentenceSplitter;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerSentencesTest {
  private static List<String> candidates(String text) {
    return AnswerSentences.candidates(SentenceSplitter.english().split(text)).stream()
        .map(Sentence::text)
        .toList();
  }

  @Test
  void questionsAndShortSentencesAreNoCandidatesWhenLongerStatementsExist() {
    assertEquals(
        List.of("A flea can live up to a year in warm and humid homes."),
        candidates(
            "Flea Life Cycle. How long do fleas live (in years)? "
                + "A flea can live up to a year in warm and humid homes. They bite."));
  }

  @Test
  void questionsEndingInQuotesAreQuestions() {
    assertEquals(
        List.of("The teacher asked the class about the seven wonders of the world."),
        candidates(
            "\"Which of the seven wonders of the world is the oldest one?\" "
                + "The teacher asked the class about the seven wonders of the world."));
  }

  @Test
  void documentWithoutLongStatementsKeepsAllSentences() {
    assertEquals(List.of("Fleas bite.", "Do they?", "Yes."), candidates("Fleas bite. Do they? Yes."));
  }
}
