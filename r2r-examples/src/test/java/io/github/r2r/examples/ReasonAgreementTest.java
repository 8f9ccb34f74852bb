package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReasonAgreementTest {
  @Test
  void freeTextReasonLinesAreFramedAsTheReferenceTeachersPointwiseReasons() {
    assertEquals("This passage directly addresses the query.",
        ReasonAgreement.asPointwiseReason("directly addresses the query."));
    assertEquals("This passage directly addresses the query.",
        ReasonAgreement.asPointwiseReason("  This passage directly addresses the query."));
    assertEquals("This passage directly mentions fleas.",
        ReasonAgreement.asPointwiseReason("This passage is ranked first because it directly mentions fleas."));
    assertEquals("This passage discusses anthropology.",
        ReasonAgreement.asPointwiseReason("The passage is ranked second as it discusses anthropology."));
  }
}
