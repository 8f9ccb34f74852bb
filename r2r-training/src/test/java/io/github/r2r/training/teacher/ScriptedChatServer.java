package io.github.r2r.training.teacher;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat-completions server on 127.0.0.1 for tests, answering each request as its script says and
 * recording what it received.
 */
final class ScriptedChatServer implements AutoCloseable {
  static final String PATH = "/v1/chat/completions";

  /** Decides the reply to the {@code index}-th request (0-based). */
  @FunctionalInterface
  interface Script {
    Reply reply(Request request, int index) throws Exception;
  }

  /** A request as received, at {@code receivedNanos} ({@link System#nanoTime()}). */
  record Request(String body, Map<String, List<String>> headers, long receivedNanos) {
    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }

    ImmutableList<JsonObject> messages() {
      ImmutableList.Builder<JsonObject> messages = ImmutableList.builder();
      for (JsonElement message : json().getAsJsonArray("messages")) {
        messages.add(message.getAsJsonObject());
      }
      return messages.build();
    }

    /** The first user message: the rendered prompt. */
    String prompt() {
      return messages().stream()
          .filter(m -> m.get("role").getAsString().equals("user"))
          .findFirst()
          .orElseThrow()
          .get("content")
          .getAsString();
    }

    String lastMessage() {
      ImmutableList<JsonObject> messages = messages();
      return messages.get(messages.size() - 1).get("content").getAsString();
    }

    String header(String name) {
      for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name)) {
          return entry.getValue().get(0);
        }
      }
      return null;
    }
  }

  /**
   * A scripted reply, sent after {@code delay}; with a non-zero {@code bodyStall} the headers and
   * half the body are sent, then nothing for that long, then the rest.
   */
  record Reply(
      int status, String body, Map<String, String> headers, Duration delay, Duration bodyStall) {
    static final TokenUsage USAGE = new TokenUsage(100, 50);

    /** A chat completion whose assistant message is {@code content}. */
    static Reply chat(String content) {
      return chat(content, "stop");
    }

    static Reply chat(String content, String finishReason) {
      JsonObject message = new JsonObject();
      message.addProperty("role", "assistant");
      message.addProperty("content", content);
      JsonObject choice = new JsonObject();
      choice.addProperty("index", 0);
      choice.add("message", message);
      choice.addProperty("finish_reason", finishReason);
      JsonArray choices = new JsonArray();
      choices.add(choice);
      JsonObject usage = new JsonObject();
      usage.addProperty("prompt_tokens", USAGE.promptTokens());
      usage.addProperty("completion_tokens", USAGE.completionTokens());
      usage.addProperty("total_tokens", USAGE.totalTokens());
      JsonObject body = new JsonObject();
      body.addProperty("id", "chatcmpl-test");
      body.addProperty("object", "chat.completion");
      body.addProperty("model", "scripted-model");
      body.add("choices", choices);
      body.add("usage", usage);
      return new Reply(200, body.toString(), ImmutableMap.of(), Duration.ZERO, Duration.ZERO);
    }

    static Reply status(int status, String body) {
      return new Reply(status, body, ImmutableMap.of(), Duration.ZERO, Duration.ZERO);
    }

    Reply withHeader(String name, String value) {
      return new Reply(
          status,
          body,
          ImmutableMap.<String, String>builder().putAll(headers).put(name, value).build(),
          delay,
          bodyStall);
    }

    Reply delayedBy(Duration wait) {
      return new Reply(status, body, headers, wait, bodyStall);
    }

    Reply stallingMidBodyFor(Duration stall) {
      return new Reply(status, body, headers, delay, stall);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  private ScriptedChatServer(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    AtomicInteger counter = new AtomicInteger();
    server.createContext(PATH, exchange -> handle(exchange, script, counter));
    server.start();
  }

  static ScriptedChatServer start(Script script) throws IOException {
    return new ScriptedChatServer(script);
  }

  /** Replies in order; the last reply repeats for any further request. */
  static ScriptedChatServer replying(Reply... replies) throws IOException {
    ImmutableList<Reply> script = ImmutableList.copyOf(replies);
    return start((request, index) -> script.get(Math.min(index, script.size() - 1)));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  ImmutableList<Request> requests() {
    return ImmutableList.copyOf(requests);
  }

  int requestCount() {
    return requests.size();
  }

  /** The most requests that were being answered at the same moment. */
  int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange exchange, Script script, AtomicInteger counter)
      throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try (exchange) {
      long received = System.nanoTime();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request request =
          new Request(body, ImmutableMap.copyOf(exchange.getRequestHeaders()), received);
      requests.add(request);
      Reply reply;
      try {
        reply = script.reply(request, counter.getAndIncrement());
        if (!reply.delay().isZero()) {
          Thread.sleep(reply.delay().toMillis());
        }
      } catch (Exception e) {
        reply = Reply.status(500, "script failed: " + e);
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        if (reply.bodyStall().isZero()) {
          out.write(bytes);
        } else {
          out.write(bytes, 0, bytes.length / 2);
          out.flush();
          Thread.sleep(reply.bodyStall().toMillis());
          out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        }
      }
    } catch (IOException clientGone) {
      // The client gave up on this request (a timeout under test); nobody is left to answer.
    } catch (InterruptedException closing) {
      // close() stops a stalled reply.
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
