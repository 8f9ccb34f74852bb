package io.github.r2r.training.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * A host that never accepts the connection (it drops packets) is an unreachable server: the run stops,
 * as for a refused connection, instead of treating each attempt as a slow answer and moving on to the
 * next query. Simulated with an HTTP client whose every connection attempt times out, since a real
 * black-hole address behaves differently from machine to machine.
 */
class ConnectTimeoutTest {
  @Test
  void aConnectTimeoutIsAnUnreachableServerAndStopsTheRun() {
    NeverConnects http = new NeverConnects();
    ChatCompletionsClient client =
        new ChatCompletionsClient(
            http,
            URI.create("http://10.255.255.1/v1/chat/completions"),
            "m",
            Optional.empty(),
            Duration.ofSeconds(5),
            new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(1)),
            new RequestLimiter(1, 0, Duration.ofMinutes(1)),
            true,
            OptionalInt.empty());

    FatalTeacherException e =
        assertThrows(FatalTeacherException.class, () -> client.complete(List.of(ChatMessage.user("hi"))));

    assertEquals(3, http.attempts.get());
    assertTrue(e.getMessage().contains("cannot connect to http://10.255.255.1/v1/chat/completions (connect timeout)"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("is the server running at that address?"), e.getMessage());
  }

  /** Every send fails as a connection that was never accepted within the connect timeout. */
  private static final class NeverConnects extends HttpClient {
    final AtomicInteger attempts = new AtomicInteger();

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      attempts.incrementAndGet();
      return CompletableFuture.failedFuture(new HttpConnectTimeoutException("HTTP connect timed out"));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest request, HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return Optional.of(Duration.ofSeconds(10));
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
      return null;
    }

    @Override
    public SSLParameters sslParameters() {
      return null;
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
      return Optional.empty();
    }
  }
}
