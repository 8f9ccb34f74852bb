package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
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
}
