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
}
