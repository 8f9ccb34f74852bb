package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CpuFlagsTest {
  private static final String ZEN4 = """
      processor\t: 0
      vendor_id\t: AuthenticAMD
      model name\t: AMD EPYC
      flags\t\t: fpu vme avx2 avx512f avx512bw avx512_bf16 avx512_vnni
      bugs\t\t: sysret_ss_attrs

      processor\t: 1
      flags\t\t: fpu vme
      """;
  /** The flags line of the Xeon (2 vCPUs, AMX) that measured bfloat16 faster than int8, shortened. */
  private static final String XEON_WITH_AMX = """
      processor\t: 0
      vendor_id\t: GenuineIntel
      model name\t: Intel(R) Xeon(R) Processor
      flags\t\t: fpu avx2 avx512f avx512bw avx_vnni avx512_bf16 avx512_vnni amx_bf16 avx512_fp16 amx_tile amx_int8
      """;

  @Test
  void readsTheFirstProcessorsFlags() {
    assertEquals(Set.of("fpu", "vme", "avx2", "avx512f", "avx512bw", "avx512_bf16", "avx512_vnni"), CpuFlags.parse(ZEN4));
  }

  @Test
  void noFlagsLineMeansNoFlags() {
    assertEquals(Set.of(), CpuFlags.parse("processor : 0\nFeatures : fp asimd bf16\n"));
    assertEquals(Set.of(), CpuFlags.parse(""));
  }

  @Test
  void bfloat16NeedsAvx512Bf16OrAmx() {
    assertTrue(CpuFlags.hasBFloat16(CpuFlags.parse(ZEN4)));
    assertTrue(CpuFlags.hasBFloat16(Set.of("amx_tile", "amx_bf16")));
    assertFalse(CpuFlags.hasBFloat16(Set.of("avx2", "avx512f", "avx512_vnni")));
    assertFalse(CpuFlags.hasBFloat16(Set.of()));
  }

  @Test
  void amxBfloat16IsTheTileFlag() {
    assertTrue(CpuFlags.hasAmxBFloat16(CpuFlags.parse(XEON_WITH_AMX)));
    assertFalse(CpuFlags.hasAmxBFloat16(CpuFlags.parse(ZEN4)));
  }

  @Test
  void int8NeedsAVnniOrAmxInt8() {
    assertTrue(CpuFlags.hasInt8DotProduct(CpuFlags.parse(ZEN4)));
    assertTrue(CpuFlags.hasInt8DotProduct(Set.of("avx2", "avx_vnni")));
    assertTrue(CpuFlags.hasInt8DotProduct(Set.of("amx_tile", "amx_int8")));
    assertFalse(CpuFlags.hasInt8DotProduct(Set.of("avx2", "avx512f", "avx512_bf16")));
  }

  @Test
  void theFastestPrecisionFollowsTheFlags() {
    assertEquals(Precision.INT8, Precision.fastestFor(CpuFlags.parse(ZEN4)));
    assertEquals(Precision.INT8, Precision.fastestFor(Set.of("avx2", "avx512f", "avx512_vnni")));
    assertEquals(Precision.BF16, Precision.fastestFor(Set.of("avx2", "amx_tile", "amx_bf16")));
    assertEquals(Precision.BF16, Precision.fastestFor(CpuFlags.parse(XEON_WITH_AMX)));
    assertEquals(Precision.INT8, Precision.fastestFor(Set.of("avx512_vnni", "avx512_bf16", "amx_tile", "amx_int8")));
    assertEquals(Precision.FP32, Precision.fastestFor(Set.of("avx2", "fma")));
    assertEquals(Precision.FP32, Precision.fastestFor(Set.of()));
  }
}
