package io.github.r2r.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a text file that must be UTF-8 (a model directory's {@code config.json}, {@code reasons.json}),
 * naming the file and the first byte that is not UTF-8 when it is not: {@link Files#readString}'s own
 * error says only "Input length = 1", which names neither (a config saved as Latin-1 or UTF-16 by an
 * editor).
 */
public final class Utf8Files {
  private Utf8Files() {}

  /**
   * Reads {@code file} as UTF-8.
   *
   * @param file the file
   * @return its text
   * @throws IOException if the file cannot be read, or is not valid UTF-8 (the message names the file
   *     and the offset of the first bad byte)
   */
  public static String read(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer chars = CharBuffer.allocate((int) Math.ceil(bytes.remaining() * (double) decoder.maxCharsPerByte()));
    CoderResult result = decoder.decode(bytes, chars, true);
    if (result.isError()) {
      throw new IOException(String.format(Locale.ROOT,
          "%s is not UTF-8 text: byte 0x%02X at offset %d is not valid UTF-8; save the file as UTF-8",
          file, bytes.get(bytes.position()) & 0xFF, bytes.position()));
    }
    decoder.flush(chars);
    return chars.flip().toString();
  }
}
