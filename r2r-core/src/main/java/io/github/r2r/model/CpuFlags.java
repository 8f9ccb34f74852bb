package io.github.r2r.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** What the CPU can do, as Linux reports it in {@code /proc/cpuinfo}; empty elsewhere. */
final class CpuFlags {
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  private CpuFlags() {}

  /** The flags of the first processor listed, or none when they cannot be read (not Linux, say). */
  static Set<String> ofThisMachine() {
    try {
      return parse(Files.readString(CPUINFO));
    } catch (IOException | SecurityException e) {
      return Set.of();
    }
  }

  /** The {@code flags} line of the first processor in {@code cpuinfo} text (x86 Linux format). */
  static Set<String> parse(String cpuinfo) {
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equals("flags")) {
        return Arrays.stream(line.substring(colon + 1).strip().split("\\s+"))
            .filter(flag -> !flag.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
      }
    }
    return Set.of();
  }

  /** Whether the flags include int8 dot-product instructions (AVX512-VNNI, AVX-VNNI or AMX-INT8). */
  static boolean hasInt8DotProduct(Set<String> flags) {
    return flags.contains("avx512_vnni") || flags.contains("avx_vnni") || flags.contains("amx_int8");
  }

  /** Whether the flags include AMX tiles with bfloat16 products (Sapphire Rapids and later Xeons). */
  static boolean hasAmxBFloat16(Set<String> flags) {
    return flags.contains("amx_bf16");
  }

  /** Whether the flags include native bfloat16 arithmetic (AVX512-BF16 or AMX-BF16). */
  static boolean hasBFloat16(Set<String> flags) {
    return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
  }
}
