package io.github.r2r.training.data;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The hand-written fixture files under {@code src/test/resources/data}. */
final class Fixtures {
  private Fixtures() {}

  static Path path(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/data/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
