package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Immutable relevance judgments: query id to document id to integer grade.
 *
 * <p>The file format is TREC qrels, one judgment per line: {@code qid iteration docid grade},
 * separated by whitespace; the iteration column is ignored, as trec_eval ignores it. A grade is an
 * integer; grades of 0 or less are judged non-relevant (trec_eval treats negative grades as "in the
 * pool but not judged", which for the measures here is the same). Queries and judgments keep the
 * order of the file.
 */
public final class Qrels {
  private final ImmutableMap<String, ImmutableMap<String, Integer>> judgments;

  private Qrels(ImmutableMap<String, ImmutableMap<String, Integer>> judgments) {
    this.judgments = judgments;
  }

  /**
   * Reads a TREC qrels file (UTF-8). Blank lines are skipped.
   *
   * @param file the qrels file
   * @return the judgments, in the file's order
   * @throws IOException if the file cannot be read
   * @throws DataFormatException naming the file and line of a line without exactly four fields, a
   *     grade that is not an integer, or a second judgment of the same (query, document) pair
   *     (trec_eval refuses those too)
   */
  public static Qrels read(Path file) throws IOException {
    Builder builder = builder();
    TrecColumns.read(
        file,
        "qid iteration docid grade",
        (qid, docid) -> "second judgment of document '" + docid + "' for query '" + qid + "'",
        (fields, lineNumber) -> {
          int grade;
          try {
            grade = Integer.parseInt(fields[3]);
          } catch (NumberFormatException e) {
            throw DataFormatException.atLine(
                file, lineNumber, "grade '" + fields[3] + "' is not an integer", e);
          }
          builder.add(fields[0], fields[2], grade);
        });
    return builder.build();
  }

  /** {@return a builder for judgments made in code (tests, converted data sets)} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the judged query ids, in first-seen order} */
  public Set<String> queryIds() {
    return judgments.keySet();
  }

  /**
   * Whether the query has at least one judgment (of any grade).
   *
   * @param qid the query id
   * @return true when it is judged
   */
  public boolean hasQuery(String qid) {
    return judgments.containsKey(qid);
  }

  /**
   * The judgments of one query.
   *
   * @param qid the query id
   * @return document id to grade (immutable, in the order judged); empty when the query is not judged
   */
  public Map<String, Integer> judgments(String qid) {
    return judgments.getOrDefault(qid, ImmutableMap.of());
  }

  /**
   * The grade of a document for a query.
   *
   * @param qid the query id
   * @param docid the document id
   * @return the grade, or empty when the document is not judged for the query
   */
  public OptionalInt grade(String qid, String docid) {
    Integer grade = judgments(qid).get(docid);
    return grade == null ? OptionalInt.empty() : OptionalInt.of(grade);
  }

  /**
   * The number of documents of the query judged with a grade of at least {@code threshold}.
   *
   * @param qid the query id
   * @param threshold the lowest grade that counts as relevant
   * @return the count; 0 when the query is not judged
   */
  public int relevantCount(String qid, int threshold) {
    return (int) judgments(qid).values().stream().filter(g -> g >= threshold).count();
  }

  /** {@return the total number of judgments over all queries} */
  public int size() {
    return judgments.values().stream().mapToInt(Map::size).sum();
  }

  @Override
  public String toString() {
    return "Qrels{" + judgments.size() + " queries, " + size() + " judgments}";
  }

  /** Collects judgments; each (query, document) pair may be judged once. */
  public static final class Builder {
    private final Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds one judgment.
     *
     * @param qid the query id: non-empty, without whitespace
     * @param docid the document id: non-empty, without whitespace
     * @param grade the relevance grade; 0 or less is non-relevant
     * @return this builder
     * @throws NullPointerException if an id is null
     * @throws IllegalArgumentException if an id is empty or contains whitespace (the file format
     *     could not hold it), or the pair is already judged
     */
    public Builder add(String qid, String docid, int grade) {
      checkId(qid, "query id");
      checkId(docid, "document id");
      Integer previous =
          judgments.computeIfAbsent(qid, q -> new LinkedHashMap<>()).putIfAbsent(docid, grade);
      checkArgument(
          previous == null,
          "document '%s' of query '%s' is already judged (grade %s)",
          docid,
          qid,
          previous);
      return this;
    }

    /** {@return the judgments added so far} */
    public Qrels build() {
      ImmutableMap.Builder<String, ImmutableMap<String, Integer>> copy = ImmutableMap.builder();
      judgments.forEach((qid, docs) -> copy.put(qid, ImmutableMap.copyOf(docs)));
      return new Qrels(copy.build());
    }
  }

  static void checkId(String id, String what) {
    checkNotNull(id, what);
    checkArgument(
        !id.isEmpty() && id.chars().noneMatch(Character::isWhitespace),
        "%s must be non-empty without whitespace, got '%s'",
        what,
        id);
  }
}
