package io.github.r2r.training.data;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import io.github.r2r.training.data.DataFiles.NumberedLine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * Reads the Reason-to-Rank teacher JSONL ({@code r2r-teacher/train-msmarco-500.jsonl}, {@code
 * dev-dl19-top5.jsonl}): one query per line with a teacher ranking and JSON reasons per passage.
 *
 * <p>Row fields: {@code qid}, {@code query}; {@code unsorted_docs}, the passages in BM25 order;
 * {@code re_rank_id}, the teacher order as 1-based positions into {@code unsorted_docs}; {@code
 * sorted_docids}, passage ids in teacher order (so the id of BM25 position p is {@code
 * sorted_docids[re_rank_id.indexOf(p)]}); {@code scores}, one per passage in BM25 order (see {@link
 * ScoresInterpretation}); {@code reason.ranked_passages[]}, in teacher order, each with {@code
 * identifier} (the 1-based BM25 position), {@code direct_reason}, {@code listwise_reason} and
 * {@code direct_answer_sentence}.
 *
 * <p>Each row becomes one {@link TrainingQuery}: passages in BM25 order with their ids, retrieval
 * ranks 1..n, reasons and (optionally) labels, and the teacher order. A row whose {@code
 * re_rank_id} is not a permutation, or whose reason identifiers disagree with it, is a broken
 * permutation; any other defect makes it malformed. Defaults: malformed rows fail, broken
 * permutations are skipped and reported.
 */
public final class ReasonToRankReader implements TrainingFileReader {
  private final ScoresInterpretation scores;
  private final MalformedRowPolicy onMalformedRow;
  private final MalformedRowPolicy onBrokenPermutation;

  private ReasonToRankReader(Builder builder) {
    this.scores = builder.scores;
    this.onMalformedRow = builder.onMalformedRow;
    this.onBrokenPermutation = builder.onBrokenPermutation;
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
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
    List<TrainingQuery> queries = new ArrayList<>();
    for (NumberedLine line : lines) {
      try {
        queries.add(parse(JsonRow.parse(line.text()), source));
      } catch (RejectedRow rejected) {
        issues.reject(file, line.number(), rejected);
      }
    }
    return new ReadResult(queries, issues.report(source, lines.size(), queries.size()));
  }

  private TrainingQuery parse(JsonRow row, String source) throws RejectedRow {
    String qid = row.string("qid");
    String query = row.string("query");
    List<String> docs = row.strings("unsorted_docs");
    int n = docs.size();
    if (n == 0) {
      throw RejectedRow.malformed("field 'unsorted_docs' is empty");
    }
    List<Integer> reRank = row.integers("re_rank_id");
    List<String> sortedDocids = row.strings("sorted_docids");
    checkSize("sorted_docids", sortedDocids.size(), n);
    List<OptionalInt> labels = TeacherLabels.read(row, "scores", n, scores);
    List<JsonRow> ranked = row.object("reason").objects("ranked_passages");
    Map<Integer, JsonRow> reasonByPosition = new HashMap<>();
    List<Integer> identifiers = new ArrayList<>();
    for (JsonRow entry : ranked) {
      int identifier = entry.integer("identifier");
      identifiers.add(identifier);
      reasonByPosition.putIfAbsent(identifier, entry);
    }

    List<Integer> positions = IntStream.rangeClosed(1, n).boxed().toList();
    if (!reRank.stream().sorted().toList().equals(positions)) {
      throw RejectedRow.brokenPermutation(
          "re_rank_id " + reRank + " is not a permutation of 1.." + n);
    }
    if (!identifiers.equals(reRank)) {
      throw RejectedRow.brokenPermutation(
          "reason.ranked_passages identifiers "
              + identifiers
              + " differ from re_rank_id "
              + reRank);
    }

    // What the model refuses (a blank passage id, say) rejects the row, which the report names with its line.
    try {
      List<TrainingPassage> passages = new ArrayList<>(n);
      for (int position = 1; position <= n; position++) {
        JsonRow reason = reasonByPosition.get(position);
        TrainingPassage.Builder passage =
            TrainingPassage.builder(
                    sortedDocids.get(reRank.indexOf(position)), docs.get(position - 1))
                .retrievalRank(position)
                .pointwiseReason(reason.string("direct_reason"))
                .comparativeReason(reason.string("listwise_reason"))
                .evidenceSentence(reason.string("direct_answer_sentence"));
        labels.get(position - 1).ifPresent(passage::label);
        passages.add(passage.build());
      }
      List<Integer> teacherOrder =
          reRank.stream().map(p -> p - 1).collect(ImmutableList.toImmutableList());
      return TrainingQuery.withTeacherOrder(qid, query, passages, teacherOrder, source);
    } catch (IllegalArgumentException e) {
      throw RejectedRow.malformed(e.getMessage());
    }
  }

  private static void checkSize(String field, int size, int expected) throws RejectedRow {
    if (size != expected) {
      throw RejectedRow.malformed(
          "field '" + field + "' has " + size + " entries but 'unsorted_docs' has " + expected);
    }
  }

  /** Options of a {@link ReasonToRankReader}. */
  public static final class Builder {
    private ScoresInterpretation scores = ScoresInterpretation.RELEVANCE_LABELS;
    private MalformedRowPolicy onMalformedRow = MalformedRowPolicy.FAIL;
    private MalformedRowPolicy onBrokenPermutation = MalformedRowPolicy.SKIP_AND_REPORT;

    private Builder() {}

    /**
     * What the {@code scores} field holds; default {@link ScoresInterpretation#RELEVANCE_LABELS}
     * ({@code train-msmarco-500.jsonl}). Use {@link ScoresInterpretation#RETRIEVAL_SCORES} for
     * {@code dev-dl19-top5.jsonl}, whose labels are in the DL19 qrels.
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
     * What to do with rows whose teacher order is unusable; default {@link
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
    public ReasonToRankReader build() {
      return new ReasonToRankReader(this);
    }
  }
}
