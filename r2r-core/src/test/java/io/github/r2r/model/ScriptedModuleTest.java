package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** {@link ScriptedModule}: the archive it writes around TorchScript source, and its failures. */
class ScriptedModuleTest {
  @Test
  void archiveHoldsTheSourceVerbatim() throws Exception {
    String source = "class M(Module):\n  __parameters__ = []\n";
    byte[] zip = ScriptedModule.archive("M", source);
    List<String> names = new ArrayList<>();
    String code = null;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        names.add(e.getName());
        assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
        if (e.getName().equals("archive/code/__torch__.py")) {
          code = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    assertEquals(
        List.of("archive/data.pkl", "archive/constants.pkl", "archive/version", "archive/byteorder",
            "archive/code/__torch__.py"),
        names);
    assertEquals(source, code);
  }


  @Test
  void aMissingScriptResourceIsNamed() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> ScriptedModule.load(manager, "/io/github/r2r/model/no-such.torchscript", "Missing"));
      assertTrue(e.getMessage().contains("no-such.torchscript"), e.getMessage());
    }
  }


  @Test
  void sourceThatDoesNotCompileFailsWithLibtorchsMessage() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> ScriptedModule.load(manager, "broken.torchscript", "Broken"));
      assertTrue(e.getMessage().contains("no_such_operator"), e.getMessage());
    }
  }
}
