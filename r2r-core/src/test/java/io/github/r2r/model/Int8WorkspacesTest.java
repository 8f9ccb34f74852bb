package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How {@link Int8Workspaces} hands out, sizes and reuses the int8 script's scratch tensors. */
class Int8WorkspacesTest {
  /** hidden 32, intermediate 64: inputs are up to 64 wide, outputs up to max(3 * 32, 64) = 96. */
  private static final BertConfig TINY = new BertConfig(30522, 32, 2, 2, 64, 64, 2, 1e-12f);

  private NDManager manager;
  private Int8Workspaces workspaces;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    workspaces = new Int8Workspaces(manager, TINY);
  }

  @AfterEach
  void tearDown() {
    workspaces.close();
    manager.close();
  }

  @Test
  void aWorkspaceHoldsEveryTensorTheScriptWritesForTheTokensAsked() {
    long[] sizes = workspaces.with(10, list -> {
      NDArray[] tensors = list.toTensorArray((PtNDManager) manager);
      long[] out = new long[tensors.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = tensors[i].size();
      }
      return out;
    });
    // float32 and int8 inputs (10 x 64), int32 and float32 outputs (10 x 96), hidden-wide outputs (10 x 32)
    assertEquals(5, sizes.length);
    assertEquals(640, sizes[0]);
    assertEquals(640, sizes[1]);
    assertEquals(960, sizes[2]);
    assertEquals(960, sizes[3]);
    assertEquals(320, sizes[4]);
    assertEquals(64 * 5 + 96 * 8 + 32 * 4, workspaces.bytesPerToken());
  }

  @Test
  void aSmallerBatchReusesTheWorkspaceAndALargerOneRegrowsIt() {
    IValue first = workspaces.with(10, list -> list);
    assertSame(first, workspaces.with(4, list -> list), "4 tokens fit the workspace made for 10");
    IValue grown = workspaces.with(11, list -> list);
    assertNotSame(first, grown, "11 tokens do not fit");
    assertSame(grown, workspaces.with(11, list -> list));
  }

  @Test
  void callsRunningAtOnceGetDifferentWorkspaces() throws InterruptedException {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<IValue> other = new AtomicReference<>();
    Thread thread = new Thread(() -> workspaces.with(8, list -> {
      other.set(list);
      inside.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return list;
    }));
    thread.start();
    inside.await();
    IValue mine = workspaces.with(8, list -> list);
    release.countDown();
    thread.join();
    assertNotSame(other.get(), mine, "a workspace in use was handed out again");
  }

  @Test
  void rejectsNoTokensAndUseAfterClose() {
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> workspaces.with(0, list -> list));
    assertEquals("tokens must be positive, got 0", empty.getMessage());
    workspaces.close();
    IllegalStateException closed = assertThrows(IllegalStateException.class, () -> workspaces.with(1, list -> list));
    assertEquals("the int8 encoder is closed", closed.getMessage());
  }

  @Test
  void anAllocationThatFailsHalfwayFreesWhatItAllocated() {
    List<NDManager> scopes = new ArrayList<>();
    try (Int8Workspaces failingOnce = new Int8Workspaces(secondAllocationOfFirstScopeFails(scopes), TINY)) {
      assertThrows(EngineException.class, () -> failingOnce.with(10, list -> list));
      assertFalse(scopes.get(0).isOpen(), "the failed allocation's scope was left open");
      failingOnce.with(10, list -> list);
      assertEquals(2, scopes.size());
      assertEquals(5, manager.getManagedArrays().size(), "the working workspace's tensors and nothing else");
    }
  }

  /**
   * {@link #manager}, except that in the first sub-manager it makes (each is added to {@code made})
   * the second {@code zeros} fails as an allocation that finds no memory would.
   */
  private NDManager secondAllocationOfFirstScopeFails(List<NDManager> made) {
    return delegating(manager, (method, args) -> {
      if (!method.getName().equals("newSubManager")) {
        return null;
      }
      NDManager scope = manager.newSubManager();
      made.add(scope);
      if (made.size() > 1) {
        return scope;
      }
      int[] zeros = {0};
      return delegating(scope, (scopeMethod, scopeArgs) -> {
        if (scopeMethod.getName().equals("zeros") && ++zeros[0] == 2) {
          throw new EngineException("no memory for the second tensor");
        }
        return null;
      });
    });
  }

  /** {@code target}, except for the methods {@code override} answers (null: not overridden). */
  private static NDManager delegating(NDManager target, BiFunction<Method, Object[], Object> override) {
    return (NDManager) Proxy.newProxyInstance(NDManager.class.getClassLoader(), new Class<?>[] {NDManager.class},
        (proxy, method, args) -> {
          Object answer = override.apply(method, args);
          if (answer != null) {
            return answer;
          }
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
