package io.github.r2r.examples;

import static com.google.common.base.Preconditions.checkArgument;

import io.github.r2r.eval.StopWords;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The fixed-template reasons that stand in for a reason generator as a baseline: what any system
 * could say from the query and passage words alone. Text metrics of a real reason generator must beat
 * them to show it says more than the template.
 */
final class TemplateReasons {
  /** How many overlapping words the pointwise template names. */
  static final int MAX_NAMED_WORDS = 3;

  private TemplateReasons() {}

  /**
   * {@code "This passage addresses the query about <query> and mentions <words>."}, where the words
   * are the query's distinct content words that occur in the passage, most frequent in the passage
   * first (ties in query order), at most {@value #MAX_NAMED_WORDS}, comma-separated; {@code "none of
   * its words"} when there are none.
   */
  static String pointwise(String query, String passage) {
    checkArgument(query != null && !query.isBlank(), "query is null or blank");
    checkArgument(passage != null, "passage is null");
    Map<String, Long> passageCounts =
        StopWords.contentWords(passage).stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    List<String> shared = new ArrayList<>();
    for (String word : new LinkedHashSet<>(StopWords.contentWords(query))) {
      if (passageCounts.containsKey(word)) {
        shared.add(word);
      }
    }
    // A stable sort keeps query order among equally frequent words.
    shared.sort(Comparator.comparingLong(w -> -passageCounts.get(w)));
    String named =
        shared.isEmpty()
            ? "none of its words"
            : String.join(", ", shared.subList(0, Math.min(MAX_NAMED_WORDS, shared.size())));
    return "This passage addresses the query about " + query.strip() + " and mentions " + named + ".";
  }

  /** {@code "This passage is more relevant than the next one because it addresses <query> more directly."} */
  static String comparative(String query) {
    checkArgument(query != null && !query.isBlank(), "query is null or blank");
    return "This passage is more relevant than the next one because it addresses " + query.strip() + " more directly.";
  }
}
