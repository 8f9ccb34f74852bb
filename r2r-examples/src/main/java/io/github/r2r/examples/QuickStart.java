package io.github.r2r.examples;

import io.github.r2r.Comparison;
import io.github.r2r.Explain;
import io.github.r2r.RankedDocument;
import io.github.r2r.Ranking;
import io.github.r2r.Reranker;
import io.github.r2r.text.SentenceSplitter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * The README's main command: rerank a handful of documents with the bundled default model and explain
 * the top 3: the sentence the model relates most strongly to the query (evidence), a generated reason
 * for each, and why each is ranked above the next (comparative reasons).
 */
public final class QuickStart {
  private static final String DEFAULT_QUERY = "how do vaccines train the immune system";
  static final String USAGE =
      "usage: QuickStart [QUERY WORDS...]\n"
          + "Reranks six built-in documents for the query (default: \"" + DEFAULT_QUERY + "\") and explains the top 3.\n"
          + "The query is given as plain words (QuickStart what is a vaccine); --help is the only option.";

  private QuickStart() {}

  public static void main(String[] args) {
    CommandLine.runMain(USAGE, args, QuickStart::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) {
    // Every argument is a query word, so --help is looked for among them rather than parsed as an option.
    if (Arrays.stream(args).anyMatch(CommandLine::isHelp)) {
      throw new HelpRequestedException();
    }
    String query = query(args);
    List<String> documents =
        List.of(
            "The Great Barrier Reef is the world's largest coral reef system, off the coast of Australia.",
            "Vaccines contain weakened or inactivated parts of a pathogen. They trigger an immune response "
                + "so that the body produces antibodies and memory cells without suffering the disease.",
            "A vaccine schedule lists which shots children receive at which age.",
            "Memory B cells created after vaccination recognise the pathogen quickly on later exposure, "
                + "which is why vaccinated people rarely fall ill.",
            "The stock market closed higher on Friday after strong earnings reports.",
            "Antibiotics kill bacteria but have no effect on viruses.");
    long start = System.nanoTime();
    try (Reranker reranker =
        Reranker.builder()
            .explain(EnumSet.of(Explain.EVIDENCE, Explain.POINTWISE, Explain.COMPARATIVE), 3)
            .build()) {
      Ranking ranking = reranker.rerank(query, documents);
      System.out.println(
          "model: " + reranker.model().config().name() + ", query feedback: " + reranker.queryFeedback());
      System.out.println("query: " + query);
      for (RankedDocument d : ranking) {
        System.out.printf("%d. score=%.4f  doc #%s  %s%n", d.rank(), d.score(), d.id(), d.text());
        d.evidence()
            .ifPresent(e -> System.out.printf("     evidence [%d, %d): \"%s\"%n", e.start(), e.end(), e.text()));
        d.reason().ifPresent(r -> System.out.printf("     reason: %s%n", r));
      }
      for (Comparison c : ranking.comparisons()) {
        System.out.printf("#%d above #%d: %s%n", c.aboveRank(), c.aboveRank() + 1, c.reason());
      }
    }
    System.out.printf("(%.1f s including model load)%n", (System.nanoTime() - start) / 1e9);
  }

  /**
   * The query of the arguments: their words, or the default query when there are none. An argument that
   * looks like an option ({@code --query foo}) would otherwise be searched for as words, and a blank
   * query has nothing to rank by: both are usage errors.
   */
  static String query(String[] args) {
    if (args.length == 0) {
      return DEFAULT_QUERY;
    }
    for (String arg : args) {
      if (arg.startsWith("--")) {
        throw new UsageException("unknown option '" + arg + "': QuickStart takes the query as plain words"
            + " (QuickStart what is a vaccine)");
      }
    }
    String query = String.join(" ", args);
    if (SentenceSplitter.isBlank(query)) {
      throw new UsageException("the query is blank: give its words, or none for the default query");
    }
    return query;
  }
}
