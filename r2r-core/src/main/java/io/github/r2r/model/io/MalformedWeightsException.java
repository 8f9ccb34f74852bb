package io.github.r2r.model.io;

import java.io.IOException;

/**
 * A weights file (safetensors or ONNX) that cannot be read because its content is invalid,
 * truncated or uses a feature this library does not support. The message names the file and the
 * offending tensor or structure.
 */
public class MalformedWeightsException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * A problem the reader found in the content itself.
   *
   * @param message names the file and the offending tensor or structure
   */
  public MalformedWeightsException(String message) {
    super(message);
  }

  /**
   * A problem found by way of another failure (a parse or conversion error).
   *
   * @param message names the file and the offending tensor or structure
   * @param cause the underlying failure
   */
  public MalformedWeightsException(String message, Throwable cause) {
    super(message, cause);
  }
}
