package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class RankingTest {
  private static List<Document> docs(int n) {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      docs.add(Document.of("d" + i, "text " + i));
    }
    return docs;
  }

  @Test
  void ranksByScoreDescendingAndBreaksTiesByInputPosition() {
    Ranking ranking = Ranking.of("q", docs(4), new float[] {0.5f, 0.9f, 0.5f, 0.1f});
    List<String> ids = new ArrayList<>();
    for (RankedDocument d : ranking) {
      ids.add(d.id());
    }
    assertEquals(List.of("d1", "d0", "d2", "d3"), ids);
    assertEquals(1, ranking.atRank(1).rank());
    assertEquals(1, ranking.atRank(1).originalIndex());
    assertEquals(2, ranking.atRank(3).originalIndex());
  }

  @Test
  void topKIsClampedAndValidated() {
    Ranking ranking = Ranking.of("q", docs(3), new float[] {1, 2, 3});
    assertEquals(2, ranking.topK(2).size());
    assertEquals(3, ranking.topK(10).size());
    assertEquals("d2", ranking.topK(1).get(0).id());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ranking.topK(-1));
    assertEquals("k must be non-negative, got -1", e.getMessage());
  }

  @Test
  void isImmutable() {
    Ranking ranking = Ranking.of("q", docs(2), new float[] {1, 2});
    assertThrows(UnsupportedOperationException.class, () -> ranking.documents().remove(0));
  }

  @Test
  void rankingsWithTheSameContentAreEqual() {
    Ranking a = Ranking.of("q", docs(3), new float[] {0.1f, 0.7f, 0.3f});
    assertEquals(a, Ranking.of("q", docs(3), new float[] {0.1f, 0.7f, 0.3f}));
    assertEquals(a.hashCode(), Ranking.of("q", docs(3), new float[] {0.1f, 0.7f, 0.3f}).hashCode());
    assertNotEquals(a, Ranking.of("other query", docs(3), new float[] {0.1f, 0.7f, 0.3f}));
    assertNotEquals(a, Ranking.of("q", docs(3), new float[] {0.1f, 0.7f, 0.4f}));
    assertNotEquals(a, a.withReasons(List.of("it is the best")));
  }

  @Test
  void printsScoresTheSameInEveryLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      String text = Ranking.of("q", docs(1), new float[] {0.8123f}).toString();
      assertTrue(text.contains("0.8123"), text);
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void badArgumentsAreNamed() {
    assertEquals("query is null",
        assertThrows(IllegalArgumentException.class, () -> Ranking.of(null, docs(1), new float[1])).getMessage());
    assertEquals("2 documents but 1 scores",
        assertThrows(IllegalArgumentException.class, () -> Ranking.of("q", docs(2), new float[1])).getMessage());
  }
}
