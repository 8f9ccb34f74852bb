package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Turns {@link TrainingQuery}s from the readers into {@link TrainingList}s for the trainer. */
public final class TrainingLists {
  private TrainingLists() {}

  /**
   * One list per teacher window: all its passages, ranked as the teacher ranked them (queries without
   * a teacher order are skipped). Graded labels are attached when every passage has one.
   *
   * @param source the source name the lists carry (it selects their loss in the trainer)
   * @param queries the queries; those without a teacher order or with fewer than two passages are skipped
   * @return one list per kept query, in the order of {@code queries}
   * @throws IllegalArgumentException if {@code source} or {@code queries} is null
   */
  public static List<TrainingList> fromTeacherOrder(String source, List<TrainingQuery> queries) {
    checkArgument(source != null, "source is null");
    checkArgument(queries != null, "queries is null");
    List<TrainingList> out = new ArrayList<>();
    for (TrainingQuery q : queries) {
      if (q.teacherOrder().isEmpty() || q.passages().size() < 2) {
        continue;
      }
      List<Integer> order = q.teacherOrder().get();
      int[] ranks = new int[q.passages().size()];
      for (int position = 0; position < order.size(); position++) {
        ranks[order.get(position)] = position + 1;
      }
      List<String> texts = new ArrayList<>();
      for (TrainingPassage p : q.passages()) {
        texts.add(p.text());
      }
      out.add(new TrainingList(source, q.qid(), q.query(), texts, labelsIfComplete(q.passages()), ranks));
    }
    return out;
  }

  /**
   * Lists sampled from graded judgements: for each query, {@code listsPerQuery} lists of
   * {@code listSize} labelled passages, each holding at least one passage with the query's best grade
   * (so every list has something to rank first) and otherwise drawn at random. Unlabelled passages are
   * never used: an unjudged passage is not a known negative. Queries without a positive grade or with
   * fewer than two judged passages are skipped; a query with fewer than {@code listSize} judged passages
   * gives shorter lists.
   *
   * @param source the source name the lists carry (it selects their loss in the trainer)
   * @param queries the queries with graded labels
   * @param listSize passages per list, at least 2
   * @param listsPerQuery lists drawn per query, at least 1
   * @param seed seed of the random draws (the same seed gives the same lists)
   * @return the lists, with graded labels and no teacher ranks, in query order
   * @throws IllegalArgumentException if {@code source} or {@code queries} is null, {@code listSize} is
   *     less than 2 or {@code listsPerQuery} less than 1
   */
  public static List<TrainingList> sampleGraded(
      String source, List<TrainingQuery> queries, int listSize, int listsPerQuery, long seed) {
    checkArgument(source != null, "source is null");
    checkArgument(queries != null, "queries is null");
    checkListShape(listSize, listsPerQuery);
    Random random = new Random(seed);
    List<TrainingList> out = new ArrayList<>();
    for (TrainingQuery q : queries) {
      List<TrainingPassage> judged = new ArrayList<>();
      int best = 0;
      for (TrainingPassage p : q.passages()) {
        if (p.label().isPresent()) {
          judged.add(p);
          best = Math.max(best, p.label().getAsInt());
        }
      }
      if (best == 0 || judged.size() < 2) {
        continue; // nothing to prefer
      }
      List<TrainingPassage> top = new ArrayList<>();
      for (TrainingPassage p : judged) {
        if (p.label().getAsInt() == best) {
          top.add(p);
        }
      }
      int size = Math.min(listSize, judged.size());
      for (int l = 0; l < listsPerQuery; l++) {
        TrainingPassage anchor = top.get(random.nextInt(top.size()));
        List<TrainingPassage> rest = new ArrayList<>(judged);
        rest.remove(anchor);
        Collections.shuffle(rest, random);
        List<TrainingPassage> chosen = new ArrayList<>(rest.subList(0, size - 1));
        chosen.add(random.nextInt(size), anchor);
        List<String> texts = new ArrayList<>();
        float[] labels = new float[size];
        for (int i = 0; i < size; i++) {
          texts.add(chosen.get(i).text());
          labels[i] = chosen.get(i).label().getAsInt();
        }
        out.add(new TrainingList(source, q.qid(), q.query(), texts, labels, null));
      }
    }
    return out;
  }

  /**
   * Lists for distilling a teacher's scores (for example an ensemble of encoders over unlabelled
   * candidates): for each query, {@code listsPerQuery} lists of {@code listSize} of its scored
   * passages, each holding one of the teacher's top 3 and otherwise drawn at random. The labels are
   * the teacher scores standardised over all of the query's scored passages, so a listwise loss
   * with a temperature sees the same scale for every query.
   *
   * <p>Queries with fewer than two scored passages that have text are skipped; queries are visited in
   * qid order.
   *
   * @param source the source name the lists carry (it selects their loss in the trainer)
   * @param queries query text by query id
   * @param texts passage text by id, per query id; passages the teacher scored but without text are
   *     skipped
   * @param teacher passage id to teacher score, per query id
   * @param listSize passages per list, at least 2 (fewer if a query has fewer scored passages)
   * @param listsPerQuery lists drawn per query, at least 1
   * @param seed seed of the random draws (the same seed gives the same lists)
   * @return the lists, whose labels are the standardised teacher scores, with no teacher ranks
   * @throws IllegalArgumentException if {@code listSize} is less than 2 or {@code listsPerQuery} less
   *     than 1
   */
  public static List<TrainingList> sampleTeacherScores(
      String source,
      Map<String, String> queries,
      Map<String, Map<String, String>> texts,
      Map<String, Map<String, Double>> teacher,
      int listSize,
      int listsPerQuery,
      long seed) {
    checkListShape(listSize, listsPerQuery);
    Random random = new Random(seed);
    List<TrainingList> out = new ArrayList<>();
    for (Map.Entry<String, String> query : new TreeMap<>(queries).entrySet()) {
      String qid = query.getKey();
      Map<String, String> passageTexts = texts.getOrDefault(qid, Map.of());
      List<Map.Entry<String, Double>> scored = new ArrayList<>();
      for (Map.Entry<String, Double> e : new TreeMap<>(teacher.getOrDefault(qid, Map.of())).entrySet()) {
        if (passageTexts.containsKey(e.getKey())) {
          scored.add(e);
        }
      }
      if (scored.size() < 2) {
        continue;
      }
      double mean = scored.stream().mapToDouble(Map.Entry::getValue).average().orElse(0);
      double sd =
          Math.sqrt(scored.stream().mapToDouble(e -> (e.getValue() - mean) * (e.getValue() - mean)).average().orElse(0));
      double scale = sd > 0 ? sd : 1;
      List<Map.Entry<String, Double>> byScore = new ArrayList<>(scored);
      byScore.sort(Map.Entry.<String, Double>comparingByValue().reversed());
      List<Map.Entry<String, Double>> top = byScore.subList(0, Math.min(3, byScore.size()));
      int size = Math.min(listSize, scored.size());
      for (int l = 0; l < listsPerQuery; l++) {
        Map.Entry<String, Double> anchor = top.get(random.nextInt(top.size()));
        List<Map.Entry<String, Double>> rest = new ArrayList<>(scored);
        rest.remove(anchor);
        Collections.shuffle(rest, random);
        List<Map.Entry<String, Double>> chosen = new ArrayList<>(rest.subList(0, size - 1));
        chosen.add(random.nextInt(size), anchor);
        List<String> listTexts = new ArrayList<>();
        float[] labels = new float[size];
        for (int i = 0; i < size; i++) {
          listTexts.add(passageTexts.get(chosen.get(i).getKey()));
          labels[i] = (float) ((chosen.get(i).getValue() - mean) / scale);
        }
        out.add(new TrainingList(source, qid, query.getValue(), listTexts, labels, null));
      }
    }
    return out;
  }

  /** How many lists each source has, by source name in alphabetical order. */
  static Map<String, Integer> countBySource(List<TrainingList> lists) {
    Map<String, Integer> counts = new TreeMap<>();
    for (TrainingList list : lists) {
      counts.merge(list.source(), 1, Integer::sum);
    }
    return counts;
  }

  /** A ranking needs two passages; and no lists per query would silently return no list at all. */
  private static void checkListShape(int listSize, int listsPerQuery) {
    checkArgument(listSize >= 2, "listSize must be at least 2, got %s", listSize);
    checkArgument(listsPerQuery >= 1, "listsPerQuery must be at least 1, got %s", listsPerQuery);
  }

  private static float[] labelsIfComplete(List<TrainingPassage> passages) {
    float[] labels = new float[passages.size()];
    for (int i = 0; i < labels.length; i++) {
      if (passages.get(i).label().isEmpty()) {
        return null;
      }
      labels[i] = passages.get(i).label().getAsInt();
    }
    return labels;
  }
}
