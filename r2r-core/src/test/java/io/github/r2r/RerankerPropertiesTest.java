package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.r2r.model.PretrainedEncoder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** A document's score depends on nothing but the query and its own text. */
class RerankerPropertiesTest {
  /** Batch size and workers (batches run side by side) of each reranker compared. */
  private static final int[][] SETTINGS = {{1, 1}, {3, 1}, {16, 1}, {1, 3}, {3, 2}};
  private static final List<Reranker> RERANKERS = new ArrayList<>();
  private static float[] reference;
  private static final String QUERY = "what is the capital of france";

  @BeforeContainer
  static void load() {
    for (int[] setting : SETTINGS) {
      RERANKERS.add(Reranker.builder()
          .model(PretrainedEncoder.ALL_MINILM_L6_V2)
          .batchSize(setting[0])
          .workers(setting[1])
          .build());
    }
    reference = RerankerTest.scoresById(RERANKERS.get(0).rerank(QUERY, RerankerTest.DOCS));
  }

  @AfterContainer
  static void close() {
    RERANKERS.forEach(Reranker::close);
  }

  @Provide
  Arbitrary<List<Integer>> subsetsInAnyOrder() {
    return Arbitraries.integers()
        .between(0, RerankerTest.DOCS.size() - 1)
        .list()
        .uniqueElements()
        .ofMinSize(1)
        .ofMaxSize(RerankerTest.DOCS.size());
  }

  @Property(tries = 25)
  void scoresAreIdenticalWhateverBatchSizeWorkersOrderOrCompany(
      @ForAll("subsetsInAnyOrder") List<Integer> order, @ForAll("batchIndex") int batchIndex) {
    List<Document> docs = new ArrayList<>();
    for (int i : order) {
      docs.add(Document.of(Integer.toString(i), RerankerTest.DOCS.get(i)));
    }
    Ranking ranking = RERANKERS.get(batchIndex).rerankDocuments(QUERY, docs);
    for (RankedDocument d : ranking) {
      assertEquals(reference[Integer.parseInt(d.id())], d.score(), 1e-5, "document " + d.id());
    }
  }

  @Provide
  Arbitrary<Integer> batchIndex() {
    return Arbitraries.integers().between(0, SETTINGS.length - 1);
  }
}
