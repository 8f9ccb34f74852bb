package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import com.google.gson.JsonArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A TREC-style reranking benchmark folder: queries, their BM25 candidates with text, and optionally
 * the judgments.
 *
 * <p>Layout (as in the project's shared data, e.g. {@code trec-dl19-passage/}):
 *
 * <ul>
 *   <li>{@code queries.tsv} — {@code qid<TAB>query}, one query per line;
 *   <li>{@code candidates.jsonl} — one line per query: {@code {"qid", "query", "candidates":
 *       [{"docid", "text", "bm25_rank", "bm25_score"}, ...]}} in BM25 order;
 *   <li>{@code qrels.txt} — optional TREC qrels ({@link Qrels#read}).
 * </ul>
 *
 * <p>Both files must list the same queries. The query text is the one of {@code queries.tsv}; the
 * copy in {@code candidates.jsonl} must agree with it up to whitespace (the DL22 files differ by a
 * doubled space in one query).
 */
public final class TrecBenchmark {
  /** The queries file of a benchmark folder. */
  public static final String QUERIES_FILE = "queries.tsv";

  /** The candidates file of a benchmark folder. */
  public static final String CANDIDATES_FILE = "candidates.jsonl";

  /** The optional judgments file of a benchmark folder. */
  public static final String QRELS_FILE = "qrels.txt";

  private final Path directory;
  private final ImmutableMap<String, BenchmarkQuery> queries;
  private final Optional<Qrels> qrels;

  private TrecBenchmark(
      Path directory, ImmutableMap<String, BenchmarkQuery> queries, Optional<Qrels> qrels) {
    this.directory = directory;
    this.queries = queries;
    this.qrels = qrels;
  }

  /**
   * Loads a benchmark folder.
   *
   * @param directory the folder (see the class comment for its files)
   * @return the benchmark, with judgments when the folder has {@value #QRELS_FILE}
   * @throws IOException if a file cannot be read
   * @throws DataFormatException naming file and line of a malformed line, a query id listed twice,
   *     candidates of a query missing from {@code queries.tsv} or with a different query text, or
   *     naming the file when a query has no candidates
   * @throws java.nio.file.NoSuchFileException if {@code queries.tsv} or {@code candidates.jsonl} is
   *     missing
   */
  public static TrecBenchmark load(Path directory) throws IOException {
    Map<String, String> queryTexts = readQueries(directory.resolve(QUERIES_FILE));
    ImmutableMap<String, BenchmarkQuery> queries =
        readCandidates(directory.resolve(CANDIDATES_FILE), queryTexts);
    Path qrelsFile = directory.resolve(QRELS_FILE);
    Optional<Qrels> qrels =
        Files.exists(qrelsFile) ? Optional.of(Qrels.read(qrelsFile)) : Optional.empty();
    return new TrecBenchmark(directory, queries, qrels);
  }

  /** {@return the folder the benchmark was loaded from} */
  public Path directory() {
    return directory;
  }

  /** {@return the queries in the order of {@code queries.tsv}} */
  public List<BenchmarkQuery> queries() {
    return queries.values().asList();
  }

  /**
   * The query with this id.
   *
   * @param qid the query id
   * @return the query and its candidates
   * @throws IllegalArgumentException if the benchmark has no such query
   */
  public BenchmarkQuery query(String qid) {
    BenchmarkQuery query = queries.get(qid);
    checkArgument(query != null, "no query '%s' in benchmark %s", qid, directory);
    return query;
  }

  /** {@return the judgments, when the folder has a {@code qrels.txt}} */
  public Optional<Qrels> qrels() {
    return qrels;
  }

  /** {@return the BM25 baseline as a run: each query's candidates in file order (score = -rank)} */
  public TrecRun bm25Run() {
    Map<String, List<String>> ranked = new LinkedHashMap<>();
    queries.forEach((qid, query) -> ranked.put(qid, query.candidateDocids()));
    return TrecRun.fromRankedLists(ranked);
  }

  @Override
  public String toString() {
    return "TrecBenchmark{"
        + directory
        + ", "
        + queries.size()
        + " queries"
        + (qrels.isPresent() ? ", judged" : "")
        + "}";
  }

  private static Map<String, String> readQueries(Path file) throws IOException {
    Map<String, String> texts = new LinkedHashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split("\t", -1);
        if (fields.length != 2 || fields[0].isBlank() || fields[1].isBlank()) {
          throw DataFormatException.atLine(
              file, lineNumber, "expected 'qid<TAB>query' but found '" + line + "'");
        }
        if (texts.putIfAbsent(fields[0].strip(), fields[1]) != null) {
          throw DataFormatException.atLine(
              file, lineNumber, "query id '" + fields[0].strip() + "' is listed twice");
        }
      }
    }
    return texts;
  }

  private static ImmutableMap<String, BenchmarkQuery> readCandidates(
      Path file, Map<String, String> queryTexts) throws IOException {
    Map<String, BenchmarkQuery> byQid = new LinkedHashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        BenchmarkQuery query = parseCandidates(JsonLine.parse(line, file, lineNumber), queryTexts);
        if (byQid.putIfAbsent(query.qid(), query) != null) {
          throw DataFormatException.atLine(
              file, lineNumber, "candidates of query '" + query.qid() + "' are listed twice");
        }
      }
    }
    List<String> missing = new ArrayList<>();
    ImmutableMap.Builder<String, BenchmarkQuery> inQueryOrder = ImmutableMap.builder();
    for (String qid : queryTexts.keySet()) {
      BenchmarkQuery query = byQid.get(qid);
      if (query == null) {
        missing.add(qid);
      } else {
        inQueryOrder.put(qid, query);
      }
    }
    if (!missing.isEmpty()) {
      throw DataFormatException.inFile(
          file,
          "no candidates for "
              + missing.size()
              + " queries of "
              + QUERIES_FILE
              + ", first: "
              + missing.subList(0, Math.min(5, missing.size())));
    }
    return inQueryOrder.build();
  }

  private static BenchmarkQuery parseCandidates(JsonLine row, Map<String, String> queryTexts)
      throws DataFormatException {
    String qid = row.string("qid");
    String queryText = queryTexts.get(qid);
    if (queryText == null) {
      throw row.problem("query '" + qid + "' is not in " + QUERIES_FILE);
    }
    String rowQuery = row.string("query");
    if (!normalizeSpace(rowQuery).equals(normalizeSpace(queryText))) {
      throw row.problem(
          "query text '" + rowQuery + "' differs from '" + queryText + "' in " + QUERIES_FILE);
    }
    JsonArray array = row.array("candidates");
    List<Candidate> candidates = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonLine candidate = row.object("candidates", array, i);
      try {
        candidates.add(
            new Candidate(
                candidate.string("docid"),
                candidate.string("text"),
                candidate.integer("bm25_rank"),
                candidate.number("bm25_score")));
      } catch (IllegalArgumentException e) {
        throw row.problem("candidates[" + i + "]: " + e.getMessage());
      }
    }
    try {
      return new BenchmarkQuery(qid, queryText, candidates);
    } catch (IllegalArgumentException e) {
      throw row.problem(e.getMessage());
    }
  }

  private static String normalizeSpace(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }
}
