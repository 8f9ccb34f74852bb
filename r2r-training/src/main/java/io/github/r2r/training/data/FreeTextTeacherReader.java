package io.github.r2r.training.data;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.hash.Hashing;
import io.github.r2r.training.data.DataFiles.NumberedLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads the free-text teacher files ({@code gpt35-teacher/*.jsonl}, {@code gpt4-teacher/*.jsonl}):
 * one BM25 window of passages per line with a RankGPT-style answer.
 *
 * <p>Row fields: {@code query}; {@code unsorted_docs}, the window's passages in BM25 order; {@code
 * reason}, the teacher's answer text ({@code "[1] > [4] > [2] > [5] > [3]\n\nReasoning:\n- Passage
 * [1] ..."}, parsed by {@link TeacherRankingText}); {@code re_rank_id}, the permutation the data
 * set's authors parsed from it (1-based, numbers or strings); {@code scores}, one per passage (see
 * {@link ScoresInterpretation}). The rows carry no query id, and {@code sorted_docids} is ignored:
 * in the deeper windows it repeats the top window's passage ids (a defect of the source), so
 * passages are identified by {@link TrainingPassage#textId text}.
 *
 * <p><b>Windows.</b> Consecutive rows with the same query are the windows of one query, deepest
 * first: the GPT-3.5 and GPT-4 train files hold two per query (BM25 ranks 6-10, then 1-5), the
 * {@code dev-dl19-top20} files four (16-20, 11-15, 6-10, 1-5), the back-to-front order of RankGPT's
 * sliding window (checked against the DL19 BM25 ranks). Each window becomes its own {@link
 * TrainingQuery}, with passages ranked by {@link TrainingPassage#retrievalRank} within the whole
 * BM25 list: the windows do not overlap, so the teacher never compared passages of different
 * windows, and merging them would invent preferences it never expressed. Group the queries by
 * {@link TrainingQuery#qid} to see the whole list.
 *
 * <p><b>Broken permutations.</b> A row is skipped (and reported) when its text has no ranking chain
 * covering the whole window, or {@code re_rank_id} disagrees with that chain (9 rows of the GPT-4
 * train files: answers such as "None of the passages are relevant"). Each passage's reason line
 * becomes its pointwise reason; the teacher wrote no comparative reason or evidence sentence in
 * this format. Window ranks are inferred from the rows that parse: in {@link
 * MalformedRowPolicy#SKIP_AND_REPORT} mode a skipped invalid-JSON row between two windows of one
 * query splits them into separate groups.
 */
public final class FreeTextTeacherReader implements TrainingFileReader {
  private final ScoresInterpretation scores;
  private final ImmutableMap<String, String> qidByQuery;
  private final MalformedRowPolicy onMalformedRow;
  private final MalformedRowPolicy onBrokenPermutation;

  private FreeTextTeacherReader(Builder builder) {
    this.scores = builder.scores;
    this.qidByQuery = builder.qidByQuery;
    this.onMalformedRow = builder.onMalformedRow;
    this.onBrokenPermutation = builder.onBrokenPermutation;
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The id given to a query that {@link Builder#queryIds} does not know: {@code "query-"} and the
   * first 16 hex digits of the SHA-256 of its text, the same in every file.
   *
   * @param query the query text
   * @return the id
   * @throws NullPointerException if {@code query} is null
   */
  public static String queryTextId(String query) {
    checkNotNull(query, "query");
    return "query-"
        + Hashing.sha256().hashString(query, StandardCharsets.UTF_8).toString().substring(0, 16);
  }

  /**
   * Reads one file.
   *
   * @throws io.github.r2r.eval.DataFormatException naming file and line of the first row a {@link
   *     MalformedRowPolicy#FAIL} policy applies to
   */
  @Override
  public ReadResult read(Path file) throws IOException {
    IssueCollector issues = new IssueCollector(onMalformedRow, onBrokenPermutation);
    String source = DataFiles.sourceName(file);
    List<NumberedLine> lines = DataFiles.nonBlankLines(file);

    List<Window> windows = new ArrayList<>();
    for (NumberedLine line : lines) {
      try {
        windows.add(Window.parse(line.number(), JsonRow.parse(line.text()), scores));
      } catch (RejectedRow rejected) {
        issues.reject(file, line.number(), rejected);
      }
    }

    List<TrainingQuery> queries = new ArrayList<>();
    for (List<Window> group : groupConsecutiveByQuery(windows)) {
      // Deepest window first: a window's ranks start after all passages of the windows after it.
      int ranksBefore = group.stream().mapToInt(w -> w.docs().size()).sum();
      for (Window window : group) {
        ranksBefore -= window.docs().size();
        try {
          queries.add(toQuery(window, ranksBefore, source));
        } catch (RejectedRow rejected) {
          issues.reject(file, window.line(), rejected);
        }
      }
    }
    return new ReadResult(queries, issues.report(source, lines.size(), queries.size()));
  }

  private TrainingQuery toQuery(Window window, int ranksBefore, String source) throws RejectedRow {
    int n = window.docs().size();
    Optional<List<Integer>> ranking = TeacherRankingText.ranking(window.reason(), n);
    if (ranking.isEmpty()) {
      List<List<Integer>> chains = TeacherRankingText.rankingChains(window.reason());
      throw RejectedRow.brokenPermutation(
          chains.isEmpty()
              ? "no ranking '[i] > [j] > ...' in the reason text: " + abbreviate(window.reason())
              : "no ranking of all passages 1.."
                  + n
                  + " in the reason text, first ranking "
                  + chains.get(0));
    }
    if (!ranking.get().equals(window.reRank())) {
      throw RejectedRow.brokenPermutation(
          "re_rank_id "
              + window.reRank()
              + " disagrees with the ranking "
              + ranking.get()
              + " in the reason text");
    }
    Map<Integer, String> reasons = TeacherRankingText.passageReasons(window.reason(), n);
    List<TrainingPassage> passages = new ArrayList<>(n);
    for (int position = 1; position <= n; position++) {
      String text = window.docs().get(position - 1);
      TrainingPassage.Builder passage =
          TrainingPassage.builder(TrainingPassage.textId(text), text)
              .retrievalRank(ranksBefore + position);
      Optional.ofNullable(reasons.get(position)).ifPresent(passage::pointwiseReason);
      window.labels().get(position - 1).ifPresent(passage::label);
      passages.add(passage.build());
    }
    String qid = qidByQuery.getOrDefault(window.query(), queryTextId(window.query()));
    List<Integer> teacherOrder =
        ranking.get().stream().map(p -> p - 1).collect(ImmutableList.toImmutableList());
    try {
      return TrainingQuery.withTeacherOrder(qid, window.query(), passages, teacherOrder, source);
    } catch (IllegalArgumentException e) {
      throw RejectedRow.malformed(e.getMessage());
    }
  }

  private static List<List<Window>> groupConsecutiveByQuery(List<Window> windows) {
    List<List<Window>> groups = new ArrayList<>();
    for (Window window : windows) {
      List<Window> last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
      if (last != null && last.get(0).query().equals(window.query())) {
        last.add(window);
      } else {
        groups.add(new ArrayList<>(List.of(window)));
      }
    }
    return groups;
  }

  private static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 80 ? "'" + oneLine + "'" : "'" + oneLine.substring(0, 77) + "...'";
  }

  /** The fields of one well-formed row. */
  private record Window(
      long line,
      String query,
      List<String> docs,
      List<Integer> reRank,
      String reason,
      List<OptionalInt> labels) {

    static Window parse(long line, JsonRow row, ScoresInterpretation scores) throws RejectedRow {
      String query = row.string("query");
      List<String> docs = row.strings("unsorted_docs");
      if (docs.isEmpty()) {
        throw RejectedRow.malformed("field 'unsorted_docs' is empty");
      }
      List<Integer> reRank = row.integers("re_rank_id");
      String reason = row.string("reason");
      List<OptionalInt> labels = TeacherLabels.read(row, "scores", docs.size(), scores);
      return new Window(line, query, docs, reRank, reason, labels);
    }
  }

  /** Options of a {@link FreeTextTeacherReader}. */
  public static final class Builder {
    private ScoresInterpretation scores = ScoresInterpretation.RELEVANCE_LABELS;
    private ImmutableMap<String, String> qidByQuery = ImmutableMap.of();
    private MalformedRowPolicy onMalformedRow = MalformedRowPolicy.FAIL;
    private MalformedRowPolicy onBrokenPermutation = MalformedRowPolicy.SKIP_AND_REPORT;

    private Builder() {}

    /**
     * What the {@code scores} field holds; default {@link ScoresInterpretation#RELEVANCE_LABELS}
     * (MS MARCO train labels in the train files, DL19 grades in {@code dev-dl19-top20}).
     *
     * @param scores the interpretation
     * @return this builder
     * @throws NullPointerException if {@code scores} is null
     */
    public Builder scores(ScoresInterpretation scores) {
      this.scores = checkNotNull(scores, "scores");
      return this;
    }

    /**
     * Known query ids by exact query text (for example from {@code train-msmarco-500.jsonl} or a
     * {@code queries.tsv}); other queries get {@link #queryTextId}.
     *
     * @param qidByQuery query id by query text; copied
     * @return this builder
     * @throws NullPointerException if the map, a key or a value is null
     */
    public Builder queryIds(Map<String, String> qidByQuery) {
      this.qidByQuery = ImmutableMap.copyOf(qidByQuery);
      return this;
    }

    /**
     * What to do with invalid JSON, missing or mistyped fields; default {@link MalformedRowPolicy#FAIL}.
     *
     * @param policy the policy
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public Builder onMalformedRow(MalformedRowPolicy policy) {
      this.onMalformedRow = checkNotNull(policy, "policy");
      return this;
    }

    /**
     * What to do with rows without a usable teacher ranking; default {@link
     * MalformedRowPolicy#SKIP_AND_REPORT}.
     *
     * @param policy the policy
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public Builder onBrokenPermutation(MalformedRowPolicy policy) {
      this.onBrokenPermutation = checkNotNull(policy, "policy");
      return this;
    }

    /** {@return the reader} */
    public FreeTextTeacherReader build() {
      return new FreeTextTeacherReader(this);
    }
  }
}
