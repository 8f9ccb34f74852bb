package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuickStartTest {
  @Test
  void helpPrintsTheUsageInsteadOfRerankingTheQueryHelp() {
    assertTrue(QuickStart.USAGE.startsWith("usage: QuickStart [QUERY WORDS...]"), QuickStart.USAGE);
    for (String help : new String[] {"--help", "-h"}) {
      // Reranking would load the model and print the ranking on stdout; the usage alone shows it did not.
      assertEquals(MainOutcome.usagePrinted(QuickStart.USAGE), MainOutcome.of(QuickStart.USAGE, QuickStart::run, help));
    }
    assertThrows(HelpRequestedException.class, () -> QuickStart.run(new String[] {"what", "is", "--help"}));
  }

  @Test
  void anOptionIsAUsageErrorRatherThanQueryWords() {
    // Otherwise "--query foo" would be reranked as the query "--query foo".
    MainOutcome outcome = MainOutcome.of(QuickStart.USAGE, QuickStart::run, "--query", "foo");
    assertEquals(2, outcome.status());
    assertEquals("", outcome.out());
    assertTrue(outcome.err().startsWith("unknown option '--query': QuickStart takes the query as plain words"),
        outcome.err());
    assertThrows(UsageException.class, () -> QuickStart.query(new String[] {"what", "is", "--verbose"}));
  }

  @Test
  void aBlankQueryIsAUsageError() {
    for (String[] args : new String[][] {{""}, {" ", "\t"}}) {
      assertEquals("the query is blank: give its words, or none for the default query",
          assertThrows(UsageException.class, () -> QuickStart.query(args)).getMessage());
    }
  }

  @Test
  void plainWordsAreTheQueryAndNoneTheDefault() {
    assertEquals("what is a vaccine", QuickStart.query(new String[] {"what", "is", "a", "vaccine"}));
    // A single dash is a word (a minus sign, a range).
    assertEquals("covid -19 cases", QuickStart.query(new String[] {"covid", "-19", "cases"}));
    assertEquals("how do vaccines train the immune system", QuickStart.query(new String[0]));
  }
}
