package io.github.r2r.training.teacher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The labelling run that the kill-and-resume tests interrupt: 6 queries of 15 passages, sorted by
 * an OpenAI-compatible teacher in windows of 10 with step 5 (2 calls per query, 12 in all), one
 * query at a time, every call cached. Its {@link #main} is the child process that gets killed.
 */
final class ResumableRun {
  static final int QUERIES = 6;
  static final int PASSAGES = 15;
  static final int CALLS = 12;

  private ResumableRun() {}

  /** Passage j of query i states a relevance that scrambles input order differently per query. */
  static List<LabellingInput> inputs() {
    List<LabellingInput> inputs = new ArrayList<>();
    for (int q = 1; q <= QUERIES; q++) {
      List<Passage> passages = new ArrayList<>();
      for (int j = 0; j < PASSAGES; j++) {
        int relevance = (j * 7 + q) % PASSAGES;
        passages.add(
            new Passage("d" + q + "-" + j, "query " + q + " passage with relevance " + relevance));
      }
      inputs.add(new LabellingInput("q" + q, "query number " + q, passages));
    }
    return inputs;
  }

  static LabellingSummary label(String baseUrl, Path store, Path out)
      throws IOException, InterruptedException {
    OpenAiCompatibleTeacher llm =
        OpenAiCompatibleTeacher.builder()
            .baseUrl(baseUrl)
            .model("fake-model")
            .apiKey("sk-resume-test")
            .retryPolicy(
                new RetryPolicy(
                    3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(1)))
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    try (JudgementStore cache = JudgementStore.open(store)) {
      Teacher teacher = new SlidingWindowTeacher(new CachingTeacher(llm, cache), 10, 5);
      return TeacherLabeller.builder(teacher).build().label(inputs(), out);
    }
  }

  /** Arguments: base URL, store file, output file. */
  public static void main(String[] args) throws Exception {
    label(args[0], Path.of(args[1]), Path.of(args[2]));
  }
}
