package io.github.r2r.training.data;

import static com.google.common.base.Preconditions.checkNotNull;

import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Candidate;
import io.github.r2r.eval.Qrels;
import io.github.r2r.eval.TrecBenchmark;
import io.github.r2r.training.data.DataFiles.NumberedLine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads a TREC benchmark folder ({@link TrecBenchmark}: {@code queries.tsv}, {@code
 * candidates.jsonl}, optional {@code qrels.txt}) as training queries with graded labels.
 *
 * <p>Each query becomes one {@link TrainingQuery} (source: the folder name) whose passages are its
 * BM25 candidates in order, with retrieval ranks, labelled with their qrels grade when judged
 * (unjudged candidates and folders without qrels have no label). There is no teacher order.
 *
 * <p>With {@link Builder#includeJudgedOutsideCandidates}, the judged passages of a query that BM25
 * did not retrieve are appended after the candidates, in qrels order, without retrieval rank; their
 * texts come from {@code judged_passages.tsv} ({@code docid<TAB>text}, as in {@code
 * trec-dl21-passage}). These add graded negatives and positives from beyond the top 100.
 *
 * <p>The benchmark files themselves are read strictly (see {@link TrecBenchmark#load}); the
 * malformed-row policy applies to {@code judged_passages.tsv} (its malformed lines, judged passages
 * without text there) and to queries left without any passage.
 */
public final class TrecTrainingReader {
  /** The file with the texts of all judged passages of a folder. */
  public static final String JUDGED_PASSAGES_FILE = "judged_passages.tsv";

  private final boolean includeJudgedOutsideCandidates;
  private final MalformedRowPolicy onMalformedRow;

  private TrecTrainingReader(Builder builder) {
    this.includeJudgedOutsideCandidates = builder.includeJudgedOutsideCandidates;
    this.onMalformedRow = builder.onMalformedRow;
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a benchmark folder.
   *
   * @param directory the benchmark folder (queries, candidates and, if present, qrels)
   * @return the queries read and the report of what was skipped
   * @throws IOException if a file cannot be read (see the more specific kinds below)
   * @throws io.github.r2r.eval.DataFormatException for malformed benchmark files, or for problems
   *     in {@code judged_passages.tsv} under {@link MalformedRowPolicy#FAIL}
   * @throws java.nio.file.NoSuchFileException if a required file is missing, including {@code
   *     judged_passages.tsv} when judged passages outside the candidates are requested and the
   *     folder has qrels
   */
  public ReadResult read(Path directory) throws IOException {
    TrecBenchmark benchmark = TrecBenchmark.load(directory);
    Optional<Qrels> qrels = benchmark.qrels();
    String source = String.valueOf(directory.toAbsolutePath().normalize().getFileName());
    IssueCollector issues = new IssueCollector(onMalformedRow, onMalformedRow);
    Path judgedFile = directory.resolve(JUDGED_PASSAGES_FILE);
    Map<String, String> judgedTexts =
        includeJudgedOutsideCandidates && qrels.isPresent()
            ? readJudgedTexts(judgedFile, issues)
            : Map.of();

    List<TrainingQuery> queries = new ArrayList<>();
    for (BenchmarkQuery query : benchmark.queries()) {
      Map<String, Integer> judgments = qrels.map(q -> q.judgments(query.qid())).orElse(Map.of());
      List<TrainingPassage> passages = new ArrayList<>();
      Set<String> candidateIds = new HashSet<>();
      for (Candidate candidate : query.candidates()) {
        candidateIds.add(candidate.docid());
        OptionalInt rank = OptionalInt.of(candidate.bm25Rank());
        passages.add(passage(candidate.docid(), candidate.text(), judgments, rank));
      }
      if (includeJudgedOutsideCandidates) {
        for (String docid : judgments.keySet()) {
          if (candidateIds.contains(docid)) {
            continue;
          }
          String text = judgedTexts.get(docid);
          if (text == null) {
            issues.rejectInFile(
                judgedFile,
                RejectedRow.malformed(
                    "no text for judged passage '" + docid + "' of query '" + query.qid() + "'"));
          } else {
            passages.add(passage(docid, text, judgments, OptionalInt.empty()));
          }
        }
      }
      if (passages.isEmpty()) {
        issues.rejectInFile(
            directory.resolve(TrecBenchmark.CANDIDATES_FILE),
            RejectedRow.malformed("query '" + query.qid() + "' has no passage to train on"));
      } else {
        queries.add(TrainingQuery.of(query.qid(), query.query(), passages, source));
      }
    }
    return new ReadResult(
        queries, issues.report(source, benchmark.queries().size(), queries.size()));
  }

  private static TrainingPassage passage(
      String docid, String text, Map<String, Integer> judgments, OptionalInt rank) {
    TrainingPassage.Builder passage = TrainingPassage.builder(docid, text);
    Integer grade = judgments.get(docid);
    if (grade != null) {
      passage.label(grade);
    }
    rank.ifPresent(passage::retrievalRank);
    return passage.build();
  }

  private static Map<String, String> readJudgedTexts(Path file, IssueCollector issues)
      throws IOException {
    Map<String, String> texts = new HashMap<>();
    for (NumberedLine line : DataFiles.nonBlankLines(file)) {
      int tab = line.text().indexOf('\t');
      if (tab <= 0) {
        issues.reject(
            file,
            line.number(),
            RejectedRow.malformed("expected 'docid<TAB>text' but found '" + line.text() + "'"));
        continue;
      }
      String docid = line.text().substring(0, tab).strip();
      String text = line.text().substring(tab + 1);
      String previous = texts.putIfAbsent(docid, text);
      if (previous != null && !previous.equals(text)) {
        issues.reject(
            file,
            line.number(),
            RejectedRow.malformed("passage '" + docid + "' is listed again with another text"));
      }
    }
    return texts;
  }

  /** Options of a {@link TrecTrainingReader}. */
  public static final class Builder {
    private boolean includeJudgedOutsideCandidates;
    private MalformedRowPolicy onMalformedRow = MalformedRowPolicy.FAIL;

    private Builder() {}

    /**
     * Whether to add the judged passages BM25 did not retrieve (texts from {@code
     * judged_passages.tsv}); default false.
     *
     * @param include whether to add them
     * @return this builder
     */
    public Builder includeJudgedOutsideCandidates(boolean include) {
      this.includeJudgedOutsideCandidates = include;
      return this;
    }

    /**
     * What to do with problems in {@code judged_passages.tsv}; default {@link MalformedRowPolicy#FAIL}.
     *
     * @param policy the policy
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public Builder onMalformedRow(MalformedRowPolicy policy) {
      this.onMalformedRow = checkNotNull(policy, "policy");
      return this;
    }

    /** {@return the reader} */
    public TrecTrainingReader build() {
      return new TrecTrainingReader(this);
    }
  }
}
