package io.github.r2r.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RougeLTest {
  private static final double EPS = 1e-12;

  @Test
  void oneSubstitutedWord() {
    // LCS "the cat on the mat" = 5 of 6 words on both sides.
    RougeL r = RougeL.of("the cat sat on the mat", "the cat is on the mat");
    assertEquals(5.0 / 6, r.precision(), EPS);
    assertEquals(5.0 / 6, r.recall(), EPS);
    assertEquals(5.0 / 6, r.f1(), EPS);
  }

  @Test
  void unequalLengths() {
    // LCS "b d" = 2; P = 2/4, R = 2/3, F1 = 2PR/(P+R) = (2/3)/(7/6) = 4/7.
    RougeL r = RougeL.of("A B C D", "B D E");
    assertEquals(0.5, r.precision(), EPS);
    assertEquals(2.0 / 3, r.recall(), EPS);
    assertEquals(4.0 / 7, r.f1(), EPS);
  }

  @Test
  void orderMatters() {
    assertEquals(1.0 / 3, RougeL.of("x y z", "z y x").f1(), EPS);
  }

  @Test
  void caseAndPunctuationAreIgnored() {
    assertEquals(1.0, RougeL.of("Fleas, live!", "fleas live").f1(), EPS);
  }

  @Test
  void noWordsGiveZero() {
    assertEquals(new RougeL(0, 0, 0), RougeL.of("", "a cat"));
    assertEquals(new RougeL(0, 0, 0), RougeL.of("...", "..."));
  }

  @Test
  void textbookLcs() {
    // CLRS: LCS(ABCBDAB, BDCABA) = 4 (e.g. BCBA).
    assertEquals(
        4, RougeL.lcsLength(List.of("a", "b", "c", "b", "d", "a", "b"), List.of("b", "d", "c", "a", "b", "a")));
    assertEquals(0, RougeL.lcsLength(List.of(), List.of("a")));
  }

  @Test
  void nullTextIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RougeL.of(null, "a"));
    assertEquals("candidate text is null", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RougeL.of("a", (String) null));
    assertEquals("reference text is null", e.getMessage());
  }
}
