package io.github.r2r.training.train;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedSet;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The loss terms a run trained beyond the configured loss of each source: what a subclass's
 * {@code computeLoss} added (e.g. {@code plus("score_l2", term, 0.05f)}), as seen in the loss
 * breakdowns of the steps. The model card lists them, so that it describes the loss actually trained
 * without the subclass having to declare anything; they are saved with each checkpoint so that a
 * resumed run's card still counts the steps before the crash.
 *
 * <p>It also records the opposite: components of a source's configured loss that an override's
 * breakdown left out (it returned a loss of its own instead of adding to {@code super.computeLoss}),
 * so that the card does not present the configured loss as trained in steps that did not train it.
 *
 * @param terms by name, in the order they were first seen
 * @param omitted configured components left out of some steps' loss, by name (the counts of a {@link
 *     Term}; its weights are unused and 0)
 */
record ExtraLossTerms(ImmutableMap<String, Term> terms, ImmutableMap<String, Term> omitted) {
  static final ExtraLossTerms NONE = new ExtraLossTerms(ImmutableMap.of(), ImmutableMap.of());

  /**
   * What a checkpoint written before extra terms were saved holds: nothing, like {@link #NONE}, but
   * told apart from it by identity, so that a resumed run does not read "no terms recorded" as "no
   * terms trained" and warn that its terms changed.
   */
  static final ExtraLossTerms NOT_RECORDED = new ExtraLossTerms(ImmutableMap.of(), ImmutableMap.of());

  /** Whether these terms were recorded step by step (not read from a checkpoint that predates them). */
  boolean recorded() {
    return this != NOT_RECORDED;
  }

  /**
   * One term over the run.
   *
   * @param minWeight the smallest weight it entered the total with (equal to {@code maxWeight}
   *     for a fixed weight; a learnable weight varies)
   * @param sources the sources of the batches it was added to
   * @param steps how many steps' losses held it (skipped steps included: it was computed there too)
   * @param trainers the trainer classes whose {@code computeLoss} added it (empty when a checkpoint
   *     written before they were recorded is all that saw it)
   */
  record Term(
      float minWeight, float maxWeight, ImmutableSortedSet<String> sources, int steps, ImmutableSortedSet<String> trainers) {}

  boolean isEmpty() {
    return terms.isEmpty() && omitted.isEmpty();
  }

  /**
   * With one more step of {@code source} whose loss held {@code weights} (term name to weight) beyond
   * the configured loss and lacked the configured components {@code omittedComponents}, as {@code
   * trainer}'s {@code computeLoss} returned it.
   */
  ExtraLossTerms afterStep(String source, Map<String, Float> weights, Set<String> omittedComponents, String trainer) {
    if (weights.isEmpty() && omittedComponents.isEmpty()) {
      return this;
    }
    Map<String, Float> omittedWeights = new LinkedHashMap<>();
    omittedComponents.forEach(name -> omittedWeights.put(name, 0f));
    return new ExtraLossTerms(counted(terms, source, weights, trainer), counted(omitted, source, omittedWeights, trainer));
  }

  private static ImmutableMap<String, Term> counted(
      ImmutableMap<String, Term> terms, String source, Map<String, Float> weights, String trainer) {
    if (weights.isEmpty()) {
      return terms;
    }
    Map<String, Term> out = new LinkedHashMap<>(terms);
    weights.forEach(
        (name, weight) ->
            out.merge(
                name,
                new Term(weight, weight, ImmutableSortedSet.of(source), 1, ImmutableSortedSet.of(trainer)),
                (seen, now) ->
                    new Term(
                        Math.min(seen.minWeight(), weight),
                        Math.max(seen.maxWeight(), weight),
                        ImmutableSortedSet.<String>naturalOrder().addAll(seen.sources()).add(source).build(),
                        seen.steps() + 1,
                        ImmutableSortedSet.<String>naturalOrder().addAll(seen.trainers()).add(trainer).build())));
    return ImmutableMap.copyOf(out);
  }

  /**
   * The model card's section: nothing when no term was added. Each term is credited to the trainer
   * classes that added it, as recorded step by step, not to the class that trained last: a run
   * resumed under another trainer would otherwise credit that one with terms it never added.
   */
  String toMarkdown(int stepsCompleted) {
    return termsMarkdown(stepsCompleted) + omittedMarkdown(stepsCompleted);
  }

  private String omittedMarkdown(int stepsCompleted) {
    if (omitted.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("## Configured loss components left out\n\n");
    out.append("The loss that `computeLoss` returned in these steps did not hold these components of the")
        .append(" configured loss above, so those steps did not train them:\n\n");
    out.append("| component | sources | steps | left out by |\n|---|---|---|---|\n");
    omitted.forEach((name, term) -> out.append(String.format(Locale.ROOT, "| %s | %s | %d of %d | %s |\n",
        name, String.join(", ", term.sources()), term.steps(), stepsCompleted, authors(term))));
    return out.append('\n').toString();
  }

  private String termsMarkdown(int stepsCompleted) {
    if (terms.isEmpty()) {
      return "";
    }
    Set<String> trainers = new TreeSet<>();
    terms.values().forEach(t -> trainers.addAll(t.trainers()));
    boolean oneAuthor = trainers.size() == 1 && terms.values().stream().allMatch(t -> t.trainers().equals(trainers));
    StringBuilder out = new StringBuilder("## Extra loss terms\n\n");
    if (oneAuthor) {
      out.append("Added to the losses above by `").append(trainers.iterator().next())
          .append(".computeLoss`, up to this model's step:\n\n");
      out.append("| term | weight | sources | steps |\n|---|---|---|---|\n");
    } else {
      out.append("Added to the losses above by `computeLoss` overrides, up to this model's step:\n\n");
      out.append("| term | weight | sources | steps | added by |\n|---|---|---|---|---|\n");
    }
    terms.forEach(
        (name, term) -> {
          out.append(String.format(Locale.ROOT, "| %s | %s | %s | %d of %d |",
              name, weight(term), String.join(", ", term.sources()), term.steps(), stepsCompleted));
          if (!oneAuthor) {
            out.append(' ').append(authors(term)).append(" |");
          }
          out.append('\n');
        });
    return out.append('\n').toString();
  }

  private static String authors(Term term) {
    if (term.trainers().isEmpty()) {
      return "not recorded";
    }
    List<String> names = new ArrayList<>();
    term.trainers().forEach(t -> names.add("`" + t + ".computeLoss`"));
    return String.join(", ", names);
  }

  private static String weight(Term term) {
    return term.minWeight() == term.maxWeight()
        ? String.valueOf(term.minWeight())
        : term.minWeight() + " to " + term.maxWeight() + " (varied over the run)";
  }

  /** The extra terms, as a checkpoint saves them. */
  JsonObject toJson() {
    return toJson(terms);
  }

  /** The left-out configured components, as a checkpoint saves them (the same form as the terms). */
  JsonObject omittedToJson() {
    return toJson(omitted);
  }

  private static JsonObject toJson(ImmutableMap<String, Term> terms) {
    JsonObject json = new JsonObject();
    terms.forEach(
        (name, term) -> {
          JsonObject t = new JsonObject();
          t.addProperty("min_weight", term.minWeight());
          t.addProperty("max_weight", term.maxWeight());
          JsonArray sources = new JsonArray();
          term.sources().forEach(sources::add);
          t.add("sources", sources);
          t.addProperty("steps", term.steps());
          JsonArray trainers = new JsonArray();
          term.trainers().forEach(trainers::add);
          t.add("trainers", trainers);
          json.add(name, t);
        });
    return json;
  }

  /**
   * @param json the saved extra terms
   * @param omittedJson the saved left-out components, or null in a checkpoint written before they were
   *     recorded
   * @throws JsonParseException naming a missing field (a checkpoint's reader reports the file)
   */
  static ExtraLossTerms fromJson(JsonObject json, JsonObject omittedJson) {
    return new ExtraLossTerms(termsFromJson(json), omittedJson == null ? ImmutableMap.of() : termsFromJson(omittedJson));
  }

  private static ImmutableMap<String, Term> termsFromJson(JsonObject json) {
    ImmutableMap.Builder<String, Term> terms = ImmutableMap.builder();
    for (Map.Entry<String, JsonElement> e : json.entrySet()) {
      JsonObject t = e.getValue().getAsJsonObject();
      ImmutableSortedSet.Builder<String> sources = ImmutableSortedSet.naturalOrder();
      required(t, e.getKey(), "sources").getAsJsonArray().forEach(s -> sources.add(s.getAsString()));
      // Absent in checkpoints written before the trainers were recorded.
      ImmutableSortedSet.Builder<String> trainers = ImmutableSortedSet.naturalOrder();
      JsonElement savedTrainers = t.get("trainers");
      if (savedTrainers != null) {
        savedTrainers.getAsJsonArray().forEach(s -> trainers.add(s.getAsString()));
      }
      terms.put(
          e.getKey(),
          new Term(
              required(t, e.getKey(), "min_weight").getAsFloat(),
              required(t, e.getKey(), "max_weight").getAsFloat(),
              sources.build(),
              required(t, e.getKey(), "steps").getAsInt(),
              trainers.build()));
    }
    return terms.buildOrThrow();
  }

  private static JsonElement required(JsonObject term, String name, String key) {
    JsonElement value = term.get(key);
    if (value == null) {
      throw new JsonParseException("extra loss term '" + name + "' has no '" + key + "'");
    }
    return value;
  }
}
