package io.github.r2r.training.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * One training example: a query, its passages in first-stage (BM25) order, and optionally a
 * teacher's ranking of those passages. All readers of this package produce it.
 *
 * <p>The teacher order lists passage indexes (0-based positions in {@link #passages()}), best
 * first, and is a permutation of all of them. The source names where the example came from (for
 * example {@code "r2r-teacher/train-msmarco-500.jsonl"}), so training data can be filtered or
 * weighted by origin.
 */
public final class TrainingQuery {
  private final String qid;
  private final String query;
  private final ImmutableList<TrainingPassage> passages;
  private final Optional<List<Integer>> teacherOrder;
  private final String source;

  private TrainingQuery(
      String qid,
      String query,
      ImmutableList<TrainingPassage> passages,
      Optional<List<Integer>> teacherOrder,
      String source) {
    this.qid = qid;
    this.query = query;
    this.passages = passages;
    this.teacherOrder = teacherOrder;
    this.source = source;
  }

  /**
   * A query without teacher order.
   *
   * @param qid the query id, not blank
   * @param query the query text
   * @param passages the passages in first-stage order, at least one, with distinct ids; copied
   * @param source where the example came from, not blank
   * @return the query
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the qid or source is blank, there is no passage, or two
   *     passages share an id
   */
  public static TrainingQuery of(
      String qid, String query, List<TrainingPassage> passages, String source) {
    return create(qid, query, passages, Optional.empty(), source);
  }

  /**
   * A query with a teacher order (0-based passage indexes, best first).
   *
   * @param qid the query id, not blank
   * @param query the query text
   * @param passages the passages in first-stage order, at least one, with distinct ids; copied
   * @param teacherOrder a permutation of {@code 0..passages.size()-1}, best first; copied
   * @param source where the example came from, not blank
   * @return the query
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException as {@link #of}, or if the order is not a permutation of the
   *     passage indexes
   */
  public static TrainingQuery withTeacherOrder(
      String qid,
      String query,
      List<TrainingPassage> passages,
      List<Integer> teacherOrder,
      String source) {
    checkNotNull(teacherOrder, "teacherOrder");
    return create(qid, query, passages, Optional.of(teacherOrder), source);
  }

  /**
   * This query with {@code passages} in place of its own, one for one in the same positions (so that
   * the teacher order still applies); id, text, teacher order and source stay.
   *
   * @param passages the new passages, as many as this query has, with distinct ids
   * @return a new query
   * @throws NullPointerException if {@code passages} is null
   * @throws IllegalArgumentException as {@link #of}, or if the number of passages differs
   */
  public TrainingQuery withPassages(List<TrainingPassage> passages) {
    checkNotNull(passages, "passages");
    checkArgument(passages.size() == this.passages.size(),
        "query '%s' has %s passages, got %s to replace them", qid, this.passages.size(), passages.size());
    return create(qid, query, passages, teacherOrder, source);
  }

  private static TrainingQuery create(
      String qid,
      String query,
      List<TrainingPassage> passages,
      Optional<List<Integer>> teacherOrder,
      String source) {
    checkNotNull(qid, "qid");
    checkArgument(!qid.isBlank(), "query id must not be blank");
    checkNotNull(query, "query");
    checkNotNull(source, "source");
    checkArgument(!source.isBlank(), "source must not be blank");
    ImmutableList<TrainingPassage> passageList = ImmutableList.copyOf(passages);
    checkArgument(!passageList.isEmpty(), "query '%s' has no passage", qid);
    Set<String> ids = new HashSet<>();
    for (TrainingPassage passage : passageList) {
      checkArgument(
          ids.add(passage.id()), "query '%s' has two passages with id '%s'", qid, passage.id());
    }
    Optional<List<Integer>> order = teacherOrder.map(ImmutableList::copyOf);
    order.ifPresent(
        o ->
            checkArgument(
                o.stream()
                    .sorted()
                    .toList()
                    .equals(IntStream.range(0, passageList.size()).boxed().toList()),
                "teacher order %s of query '%s' is not a permutation of 0..%s",
                o,
                qid,
                passageList.size() - 1));
    return new TrainingQuery(qid, query, passageList, order, source);
  }

  /** {@return the query id} */
  public String qid() {
    return qid;
  }

  /** {@return the query text} */
  public String query() {
    return query;
  }

  /** {@return the passages in first-stage (BM25) order, immutable} */
  public List<TrainingPassage> passages() {
    return passages;
  }

  /** {@return the teacher's ranking as 0-based passage indexes, best first, if there is one} */
  public Optional<List<Integer>> teacherOrder() {
    return teacherOrder;
  }

  /** {@return the passages in teacher order, best first; empty when there is no teacher order} */
  public Optional<List<TrainingPassage>> passagesInTeacherOrder() {
    return teacherOrder.map(
        o -> o.stream().map(passages::get).collect(ImmutableList.toImmutableList()));
  }

  /** {@return where the example came from, e.g. {@code "r2r-teacher/train-msmarco-500.jsonl"}} */
  public String source() {
    return source;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof TrainingQuery)) {
      return false;
    }
    TrainingQuery that = (TrainingQuery) other;
    return qid.equals(that.qid)
        && query.equals(that.query)
        && passages.equals(that.passages)
        && teacherOrder.equals(that.teacherOrder)
        && source.equals(that.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(qid, query, passages, teacherOrder, source);
  }

  @Override
  public String toString() {
    return "TrainingQuery{"
        + qid
        + ", "
        + passages.size()
        + " passages"
        + teacherOrder.map(o -> ", teacher order " + o).orElse("")
        + ", "
        + source
        + "}";
  }
}
