package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.github.r2r.util.AtomicFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Immutable retrieval run: for each query, its retrieved documents ranked the way trec_eval ranks
 * them.
 *
 * <p>trec_eval ignores the rank column of a run file. It sorts each query's documents by score,
 * highest first, and breaks ties by document id in <em>reverse</em> lexicographic (byte) order
 * ({@code comp_sim_docno} in trec_eval's {@code form_res_rels.c}: {@code strcmp(docno2, docno1)}).
 * This class applies exactly that order ({@link #TREC_EVAL_ORDER}) when it is built, so {@link
 * #ranking} is the order every measure sees. Scores are doubles, as in trec_eval 9.0.8 and later
 * (older versions read them as floats, which can create extra ties).
 *
 * <p>File format: six whitespace-separated columns per line, {@code qid Q0 docid rank score tag}.
 */
public final class TrecRun {
  /**
   * trec_eval's order: score descending, then document id descending. Java compares strings by
   * UTF-16 code units, which equals C's {@code strcmp} byte order for the ASCII ids of TREC
   * collections.
   */
  public static final Comparator<ScoredDocument> TREC_EVAL_ORDER =
      // "+ 0.0" turns -0.0 into 0.0: trec_eval compares scores with < and >, for which the two are
      // equal (a tie, broken by docid), while Double.compare puts 0.0 above -0.0. Runs written by
      // Python or C with "%.4f" hold "-0.0000" for tiny negative scores.
      Comparator.comparingDouble((ScoredDocument d) -> d.score() + 0.0)
          .reversed()
          .thenComparing(ScoredDocument::docid, Comparator.reverseOrder());

  private final ImmutableMap<String, ImmutableList<ScoredDocument>> rankings;

  private TrecRun(ImmutableMap<String, ImmutableList<ScoredDocument>> rankings) {
    this.rankings = rankings;
  }

  /** {@return a builder for runs made in code; queries keep the order they are first added in} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A run from ranked lists (best first): the document at 1-based rank r gets score {@code -r}, so
   * the trec_eval order is exactly the given order.
   *
   * @param rankedDocids per query id, its document ids best first
   * @return the run, queries in the map's iteration order
   * @throws IllegalArgumentException if a list repeats a document, or an id is empty or contains
   *     whitespace
   */
  public static TrecRun fromRankedLists(Map<String, ? extends List<String>> rankedDocids) {
    Builder builder = builder();
    rankedDocids.forEach(
        (qid, docids) -> {
          for (int i = 0; i < docids.size(); i++) {
            builder.add(qid, docids.get(i), -(i + 1.0));
          }
        });
    return builder.build();
  }

  /**
   * Reads a run file in the six-column TREC format (UTF-8). Blank lines are skipped.
   *
   * @param file the run file
   * @return the run, queries in the file's order
   * @throws IOException if the file cannot be read
   * @throws DataFormatException naming the file and line of a line without six fields, a score that
   *     is not a number (or NaN), or a document retrieved twice for the same query (trec_eval refuses
   *     those too); the rank column is not read, as trec_eval does not read it
   */
  public static TrecRun read(Path file) throws IOException {
    Builder builder = builder();
    TrecColumns.read(
        file,
        "qid Q0 docid rank score tag",
        (qid, docid) -> "document '" + docid + "' is retrieved twice for query '" + qid + "'",
        (fields, lineNumber) -> {
          // The rank column (fields[3]) is not read: trec_eval ignores it and ranks by score.
          double score;
          try {
            score = parseScore(fields[4]);
          } catch (NumberFormatException e) {
            throw DataFormatException.atLine(
                file, lineNumber, "score '" + fields[4] + "' is not a number", e);
          }
          if (Double.isNaN(score)) {
            throw DataFormatException.atLine(file, lineNumber, "score is NaN");
          }
          builder.add(fields[0], fields[2], score);
        });
    return builder.build();
  }

  /**
   * A score as C's {@code atof}, which trec_eval uses, reads it where Java differs: {@code inf},
   * {@code -inf}, {@code INF} (what Python writes for infinite scores) as well as Java's {@code
   * Infinity}.
   */
  private static double parseScore(String text) {
    String unsigned = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    if (unsigned.equalsIgnoreCase("inf") || unsigned.equalsIgnoreCase("infinity")) {
      return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.parseDouble(text);
  }

  /** {@return the query ids of the run, in first-seen order} */
  public Set<String> queryIds() {
    return rankings.keySet();
  }

  /**
   * The documents retrieved for a query in trec_eval order.
   *
   * @param qid the query id
   * @return the documents (immutable); empty when the query is absent
   */
  public List<ScoredDocument> ranking(String qid) {
    return rankings.getOrDefault(qid, ImmutableList.of());
  }

  /**
   * The document ids retrieved for a query in trec_eval order.
   *
   * @param qid the query id
   * @return the ids (immutable); empty when the query is absent
   */
  public List<String> rankedDocids(String qid) {
    return ranking(qid).stream()
        .map(ScoredDocument::docid)
        .collect(ImmutableList.toImmutableList());
  }

  /**
   * Writes the run in the six-column TREC format (UTF-8), ranks 1..n in trec_eval order; the file is
   * replaced only once the whole run is written ({@link AtomicFiles}).
   *
   * @param file the file to write
   * @param tag the run tag of the last column: non-empty, without whitespace
   * @throws IllegalArgumentException if the tag is empty or contains whitespace
   * @throws IOException if the file cannot be written
   */
  public void write(Path file, String tag) throws IOException {
    AtomicFiles.write(file, writer -> write(writer, tag));
  }

  /**
   * Writes the run in the six-column TREC format, one line per document. Scores are written with
   * {@link Double#toString}, which reads back to the same double.
   *
   * @param writer receives the lines; not flushed or closed
   * @param tag the run tag of the last column: non-empty, without whitespace
   * @throws IllegalArgumentException if the tag is empty or contains whitespace
   * @throws IOException if {@code writer} fails
   */
  public void write(Writer writer, String tag) throws IOException {
    Qrels.checkId(tag, "run tag");
    for (Map.Entry<String, ImmutableList<ScoredDocument>> entry : rankings.entrySet()) {
      List<ScoredDocument> ranking = entry.getValue();
      for (int i = 0; i < ranking.size(); i++) {
        ScoredDocument doc = ranking.get(i);
        writer.write(
            entry.getKey()
                + " Q0 "
                + doc.docid()
                + ' '
                + (i + 1)
                + ' '
                + doc.score()
                + ' '
                + tag
                + '\n');
      }
    }
  }

  @Override
  public String toString() {
    return "TrecRun{" + rankings.size() + " queries}";
  }

  /** Collects scored documents; each document may be added once per query. */
  public static final class Builder {
    private final Map<String, List<ScoredDocument>> documents = new LinkedHashMap<>();
    private final Map<String, Set<String>> seen = new HashMap<>();

    private Builder() {}

    /**
     * Adds one retrieved document.
     *
     * @param qid the query id: non-empty, without whitespace
     * @param docid the document id: non-empty, without whitespace
     * @param score the system's score (higher ranks first); infinities allowed
     * @return this builder
     * @throws IllegalArgumentException if an id is empty or has whitespace, the score is NaN, or
     *     the document is already retrieved for this query
     */
    public Builder add(String qid, String docid, double score) {
      Qrels.checkId(qid, "query id");
      ScoredDocument doc = new ScoredDocument(docid, score);
      boolean added = seen.computeIfAbsent(qid, q -> new HashSet<>()).add(docid);
      checkArgument(added, "document '%s' is retrieved twice for query '%s'", docid, qid);
      documents.computeIfAbsent(qid, q -> new ArrayList<>()).add(doc);
      return this;
    }

    /** {@return the run, each query's documents sorted in trec_eval order} */
    public TrecRun build() {
      ImmutableMap.Builder<String, ImmutableList<ScoredDocument>> rankings = ImmutableMap.builder();
      documents.forEach(
          (qid, docs) -> rankings.put(qid, ImmutableList.sortedCopyOf(TREC_EVAL_ORDER, docs)));
      return new TrecRun(rankings.build());
    }
  }
}
