package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Labels queries with a teacher and writes one {@link TrainingRecord} line per query, resumably.
 *
 * <p>The output file is append-only and each line is forced to disk before the query counts as
 * done. A rerun with the same output skips every query already there, so after a crash or an
 * interrupt it finishes the rest; with a {@link CachingTeacher} below, windows finished before the
 * interruption are not asked again either. An incomplete last line is dropped on open.
 *
 * <p>Queries run {@code parallelism} at a time; lines are written in completion order. A query that
 * fails with a {@link TeacherException} is reported in the summary and left out of the output (a
 * rerun retries it); the run stops at a {@link FatalTeacherException}, at an output or cache write
 * failure, and after {@code maxConsecutiveFailures} failures in a row, which mean the same problem
 * is hitting every query.
 */
public final class TeacherLabeller {
  private static final System.Logger LOG = System.getLogger(TeacherLabeller.class.getName());

  private final Teacher teacher;
  private final int parallelism;
  private final int maxConsecutiveFailures;
  private final Consumer<LabellingProgress> progress;

  private TeacherLabeller(Builder builder) {
    this.teacher = builder.teacher;
    this.parallelism = builder.parallelism;
    this.maxConsecutiveFailures = builder.maxConsecutiveFailures;
    this.progress = builder.progress;
  }

  /**
   * A builder for a labeller that asks {@code teacher}.
   *
   * @param teacher the teacher
   * @return the builder, with the defaults
   * @throws NullPointerException if {@code teacher} is null
   */
  public static Builder builder(Teacher teacher) {
    return new Builder(teacher);
  }

  /**
   * Labels every input whose qid is not yet in {@code out}, appending to {@code out}.
   *
   * @param inputs the queries to label, with distinct qids
   * @param out the JSONL file of training records; created if absent, appended to otherwise
   * @return what was labelled, skipped and failed, with token usage and time
   * @throws IllegalArgumentException if two inputs share a qid
   * @throws IOException if {@code out} cannot be read or written, or is in use by another run
   * @throws FatalTeacherException if the teacher cannot work at all (credentials, URL, model)
   * @throws TeacherException after {@code maxConsecutiveFailures} failed queries in a row
   * @throws InterruptedException if the calling thread is interrupted; finished queries stay
   *     written and a rerun continues from there
   */
  public LabellingSummary label(List<LabellingInput> inputs, Path out)
      throws IOException, InterruptedException {
    long startNanos = System.nanoTime();
    Set<String> qids = new HashSet<>();
    for (LabellingInput input : inputs) {
      checkArgument(
          qids.add(input.qid()), "qid %s appears more than once in the inputs", input.qid());
    }
    try (AppendOnlyJsonlFile output = AppendOnlyJsonlFile.open(out)) {
      if (output.discardedPartialLines() > 0) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0}: dropped an incomplete last line left by an interrupted run",
            out);
      }
      Set<String> done = new HashSet<>();
      for (JsonObject record : output.existing()) {
        JsonElement qid = record.get("qid");
        if (qid != null && qid.isJsonPrimitive()) {
          done.add(qid.getAsString());
        }
      }
      List<LabellingInput> toDo = new ArrayList<>();
      for (LabellingInput input : inputs) {
        if (!done.contains(input.qid())) {
          toDo.add(input);
        }
      }
      int alreadyDone = inputs.size() - toDo.size();
      Run run = new Run(output, toDo.size(), alreadyDone, startNanos);
      run.execute(toDo);
      return new LabellingSummary(
          inputs.size(),
          alreadyDone,
          run.labelled,
          run.failures,
          run.usage,
          run.repairedMissing,
          output.discardedPartialLines(),
          Duration.ofNanos(System.nanoTime() - startNanos));
    }
  }

  /** The mutable state of one call to {@link #label}, confined to the calling thread. */
  private final class Run {
    private final AppendOnlyJsonlFile output;
    private final int toDo;
    private final int alreadyDone;
    private final long startNanos;
    private int labelled;
    private int consecutiveFailures;
    private int repairedMissing;
    private TokenUsage usage = TokenUsage.NONE;
    private final List<LabellingSummary.Failure> failures = new ArrayList<>();

    Run(AppendOnlyJsonlFile output, int toDo, int alreadyDone, long startNanos) {
      this.output = output;
      this.toDo = toDo;
      this.alreadyDone = alreadyDone;
      this.startNanos = startNanos;
    }

    void execute(List<LabellingInput> inputs) throws IOException, InterruptedException {
      if (inputs.isEmpty()) {
        return;
      }
      ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, inputs.size()));
      try {
        CompletionService<TeacherJudgement> completions = new ExecutorCompletionService<>(pool);
        Map<Future<TeacherJudgement>, LabellingInput> inputOf = new HashMap<>();
        for (LabellingInput input : inputs) {
          inputOf.put(
              completions.submit(() -> teacher.judge(input.query(), input.passages())), input);
        }
        for (int i = 0; i < inputs.size(); i++) {
          Future<TeacherJudgement> finished = completions.take();
          record(inputOf.get(finished), finished);
          progress.accept(
              new LabellingProgress(
                  labelled + failures.size(),
                  toDo,
                  failures.size(),
                  alreadyDone,
                  Duration.ofNanos(System.nanoTime() - startNanos)));
        }
      } finally {
        pool.shutdownNow();
        if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
          LOG.log(System.Logger.Level.WARNING, "teacher calls still running after 30 s");
        }
      }
    }

    private void record(LabellingInput input, Future<TeacherJudgement> finished)
        throws IOException, InterruptedException {
      TeacherJudgement judgement;
      try {
        judgement = finished.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof FatalTeacherException fatal) {
          throw fatal;
        }
        if (cause instanceof TeacherException failure) {
          fail(input, failure);
          return;
        }
        if (cause instanceof UncheckedIOException io) {
          throw interruptedOr(io.getCause());
        }
        if (cause instanceof InterruptedException interrupted) {
          throw interrupted;
        }
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException("teacher failed on query " + input.qid(), cause);
      }
      try {
        output.append(TrainingRecord.toJson(input, judgement, teacher.promptVersion()));
      } catch (IOException e) {
        throw interruptedOr(e);
      }
      labelled++;
      consecutiveFailures = 0;
      usage = usage.plus(judgement.usage());
      repairedMissing += judgement.repairedMissing();
    }

    /**
     * An interrupt that reached a file write closes the file's channel and shows as {@link
     * ClosedByInterruptException}; to the caller it is the interrupt {@link #label} promises to report
     * as {@link InterruptedException} (the half-written line is cut off when the file is opened again).
     */
    private static IOException interruptedOr(IOException e) throws InterruptedException {
      if (e instanceof ClosedByInterruptException) {
        InterruptedException interrupted = new InterruptedException("interrupted while writing: " + e);
        interrupted.initCause(e);
        throw interrupted;
      }
      return e;
    }

    private void fail(LabellingInput input, TeacherException failure) {
      failures.add(new LabellingSummary.Failure(input.qid(), failure.getMessage()));
      consecutiveFailures++;
      LOG.log(
          System.Logger.Level.WARNING,
          "query {0} not labelled: {1}",
          input.qid(),
          failure.getMessage());
      if (consecutiveFailures >= maxConsecutiveFailures) {
        throw new TeacherException(
            "stopping after "
                + consecutiveFailures
                + " failed queries in a row; last failure (query "
                + input.qid()
                + "): "
                + failure.getMessage(),
            failure);
      }
    }
  }

  /** Configures a {@link TeacherLabeller}. */
  public static final class Builder {
    private final Teacher teacher;
    private int parallelism = 1;
    private int maxConsecutiveFailures = 5;
    private Consumer<LabellingProgress> progress = p -> {};

    private Builder(Teacher teacher) {
      this.teacher = checkNotNull(teacher, "teacher is null");
    }

    /**
     * Queries judged at once; default 1. Windows of one query are sequential (each depends on the
     * last), so this is how a request-concurrency limit gets used.
     *
     * @param queries the number of queries, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code queries} is less than 1
     */
    public Builder parallelism(int queries) {
      checkArgument(queries >= 1, "parallelism must be >= 1, got %s", queries);
      this.parallelism = queries;
      return this;
    }

    /**
     * Failed queries in a row that stop the run; default 5.
     *
     * @param failures the limit, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code failures} is less than 1
     */
    public Builder maxConsecutiveFailures(int failures) {
      checkArgument(failures >= 1, "maxConsecutiveFailures must be >= 1, got %s", failures);
      this.maxConsecutiveFailures = failures;
      return this;
    }

    /**
     * Called on the labelling thread after each query is written or has failed; by default nothing is.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder progressListener(Consumer<LabellingProgress> listener) {
      this.progress = checkNotNull(listener, "listener is null");
      return this;
    }

    /** {@return the labeller} */
    public TeacherLabeller build() {
      return new TeacherLabeller(this);
    }
  }
}
