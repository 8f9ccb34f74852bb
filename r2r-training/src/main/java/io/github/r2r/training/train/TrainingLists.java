package io.github.r2r.training.train;

import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Turns {@link TrainingQuery}s from the readers into {@link TrainingList}s for the trainer. */
public final class TrainingLists {
  private TrainingLists() {}

  /**
   * One list per teacher window: all its passages, ranked as the teacher ranked them (queries without
   * a teacher order are skipped). Graded labels are attached when every passage has one.
   */
  public static List<TrainingList> fromTeacherOrder(String source, List<TrainingQuery> queries) {
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
   * never used: an unjudged passage is not a known negative.
   */
  public static List<TrainingList> sampleGraded(
      String source, List<TrainingQuery> queries, int listSize, int listsPerQuery, long seed) {
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
