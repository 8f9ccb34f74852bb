package io.github.r2r.training.teacher;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A scripted window teacher that knows the true relevance of every passage (by id) and sorts each
 * window by it. Its reasons say which call wrote them; each call costs 10 + 5 tokens.
 */
final class HiddenRelevanceTeacher implements Teacher {
  private final Map<String, Integer> relevance;
  private final List<List<String>> calls = new ArrayList<>();

  HiddenRelevanceTeacher(Map<String, Integer> relevance) {
    this.relevance = relevance;
  }

  @Override
  public synchronized TeacherJudgement judge(String query, List<Passage> passages) {
    calls.add(passages.stream().map(Passage::id).toList());
    int call = calls.size();
    List<RankedPassage> ranking =
        IntStream.range(0, passages.size())
            .boxed()
            .sorted(
                Comparator.comparing((Integer i) -> relevance.get(passages.get(i).id())).reversed())
            .map(i -> new RankedPassage(i, "call " + call, "call " + call, "", false))
            .toList();
    return new TeacherJudgement(
        ranking, "hidden", new TokenUsage(10, 5), ImmutableList.of("answer " + call), 0);
  }

  /** The ids of each window judged, in call order. */
  synchronized List<List<String>> calls() {
    return List.copyOf(calls);
  }

  @Override
  public String model() {
    return "hidden";
  }

  @Override
  public String promptVersion() {
    return "none";
  }
}
