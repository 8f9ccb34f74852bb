package io.github.r2r.training.teacher;

import com.google.common.collect.ImmutableList;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Model answers and passages for tests. */
final class Answers {
  private static final Pattern LISTED_PASSAGE = Pattern.compile("(?m)^\\[(\\d+)] (.*)$");
  private static final Pattern RELEVANCE = Pattern.compile("relevance (\\d+)");

  private Answers() {}

  /** A clean JSON answer ranking the given 1-based identifiers, with reasons naming them. */
  static String ranking(int... identifiers) {
    JsonArray ranked = new JsonArray();
    for (int identifier : identifiers) {
      JsonObject entry = new JsonObject();
      entry.addProperty("identifier", identifier);
      entry.addProperty("direct_reason", "direct " + identifier);
      entry.addProperty("listwise_reason", "listwise " + identifier);
      entry.addProperty("direct_answer_sentence", "sentence " + identifier);
      ranked.add(entry);
    }
    JsonObject answer = new JsonObject();
    answer.add("ranked_passages", ranked);
    return answer.toString();
  }

  /** Passages p1..pn with texts "text of passage i". */
  static ImmutableList<Passage> passages(int count) {
    ImmutableList.Builder<Passage> passages = ImmutableList.builder();
    for (int i = 1; i <= count; i++) {
      passages.add(new Passage("p" + i, "text of passage " + i));
    }
    return passages.build();
  }

  /**
   * What a perfect model answers to a rendered prompt whose passages say "relevance N": the listed
   * identifiers sorted by N, highest first.
   */
  static String sortByStatedRelevance(String prompt) {
    List<int[]> listed = new ArrayList<>();
    Matcher passage = LISTED_PASSAGE.matcher(prompt);
    while (passage.find()) {
      Matcher relevance = RELEVANCE.matcher(passage.group(2));
      if (!relevance.find()) {
        throw new IllegalArgumentException("no relevance in " + passage.group(2));
      }
      listed.add(
          new int[] {Integer.parseInt(passage.group(1)), Integer.parseInt(relevance.group(1))});
    }
    listed.sort(Comparator.comparingInt((int[] p) -> p[1]).reversed());
    return ranking(listed.stream().mapToInt(p -> p[0]).toArray());
  }
}
