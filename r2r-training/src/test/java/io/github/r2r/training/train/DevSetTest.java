package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Candidate;
import io.github.r2r.eval.Qrels;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevSetTest {
  private static BenchmarkQuery query(String qid) {
    return new BenchmarkQuery(qid, "query " + qid, List.of(new Candidate("d1", "a passage", 1, 1f)));
  }

  @Test
  void aQueryWithoutJudgementsIsRejectedAtConstructionByItsId() {
    Qrels qrels = Qrels.builder().add("q1", "d1", 1).add("q3", "d1", 0).build();

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DevSet("dev", List.of(query("q1"), query("q2"), query("q4")), qrels));

    assertEquals("dev set dev: query q2 has no judgements in the qrels (2 judged queries)", e.getMessage());
  }

  @Test
  void judgedQueriesMakeADevSet() {
    Qrels qrels = Qrels.builder().add("q1", "d1", 1).add("q2", "d1", 0).build();

    assertEquals(2, new DevSet("dev", List.of(query("q1"), query("q2")), qrels).queries().size());
  }
}
