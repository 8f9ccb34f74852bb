package io.github.r2r.examples;

import java.util.List;

/** One way of scoring a query's candidate documents, timed by {@link BenchmarkThroughput}. */
interface Contestant extends AutoCloseable {
  /** Short name used in the report, e.g. {@code r2r}. */
  String name();

  /** One relevance score per document, in input order. */
  float[] score(String query, List<String> documents);

  @Override
  default void close() {}
}
