package io.github.r2r;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One query and its candidate documents, for {@link Reranker#rerankAll(List)}.
 *
 * @param query the query (validated by the reranker: non-blank)
 * @param documents its candidates, copied (validated by the reranker, which names a bad one)
 */
public record RerankRequest(String query, List<Document> documents) {
  /**
   * Copies the document list; validation is left to the reranker, which names the offending request
   * and document.
   *
   * @param query the query
   * @param documents its candidates, copied into an unmodifiable list; null stays null (and is
   *     rejected by the reranker)
   */
  public RerankRequest {
    // Copied but not validated here: Reranker validates and names the offending document.
    documents = documents == null ? null : Collections.unmodifiableList(new ArrayList<>(documents));
  }
}
