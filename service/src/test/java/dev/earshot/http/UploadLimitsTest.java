package dev.earshot.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API's limits on real sockets ({@code rest.max-bytes}, {@code rest.max-concurrent}):
 * a body is refused while it streams in, never held whole, and recognitions beyond the cap are
 * refused before their bodies are read. The gateway here allows 4 MiB and one recognition at a time.
 */
class UploadLimitsTest {
    static final int LIMIT = 4 * 1024 * 1024;
    static final long HUGE = 200L * 1000 * 1000;
    static final String RAW = "/api/v1/transcriptions?encoding=LINEAR_PCM&sample_rate_hertz=16000";
    static final ObjectMapper JSON = new ObjectMapper();
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.synthetic(new RestSettings(LIMIT, 1));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** An HTTP/1.1 client with nothing between the test and the bytes. */
    static final class RawHttp implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        RawHttp() throws IOException {
            socket = new Socket("127.0.0.1", gateway.port());
            socket.setSoTimeout(60_000); // a hang fails the test instead of stalling the build
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** A request head for a POST whose body follows as chunks. */
        void postChunked(String path, String... extraHeaders) throws IOException {
            send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                    + String.join("", extraHeaders) + "\r\n");
        }

        void chunk(byte[] data, int length) throws IOException {
            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data, 0, length);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        /** The status line and headers, up to the blank line. */
        String head() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed inside a response head: " + head);
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        /** A whole response with a {@code Content-Length} body: its head, a blank line, its body. */
        String response() throws IOException {
            String head = head();
            int length = Integer.parseInt(header(head, "content-length"));
            return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        throw new AssertionError("no " + name + " in " + head);
    }

    static JsonNode body(String response) throws IOException {
        return JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Heap pools that hold what survives young collections, and large arrays from their allocation on. */
    static List<MemoryPoolMXBean> oldGeneration() {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .filter(p -> p.getName().contains("Old") || p.getName().contains("Tenured"))
                .toList();
        assertFalse(pools.isEmpty(), "an old generation among " + ManagementFactory.getMemoryPoolMXBeans());
        return pools;
    }

    static long used(List<MemoryPoolMXBean> pools, boolean peak) {
        return pools.stream()
                .mapToLong(p -> (peak ? p.getPeakUsage() : p.getUsage()).getUsed())
                .sum();
    }

    @Test
    void aHugeChunkedUploadIs413BeforeTheClientHasSentItAndTheHeapStaysFlat() throws Exception {
        List<MemoryPoolMXBean> old = oldGeneration();
        System.gc();
        long before = used(old, false);
        old.forEach(MemoryPoolMXBean::resetPeakUsage);
        AtomicLong sent = new AtomicLong();
        try (RawHttp http = new RawHttp()) {
            http.postChunked(RAW);
            CompletableFuture<IOException> writer = CompletableFuture.supplyAsync(() -> {
                byte[] block = new byte[64 * 1024]; // silence, from a generator: never 200 MB in memory
                try {
                    while (sent.get() < HUGE) {
                        http.chunk(block, block.length);
                        sent.addAndGet(block.length);
                    }
                    http.send("0\r\n\r\n");
                    return null;
                } catch (IOException e) {
                    return e; // the server closed the connection: what should happen
                }
            });
            String response = http.response();
            long sentWhenAnswered = sent.get();
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertEquals("message_too_large", body(response).path("code").asText(), response);
            assertTrue(body(response).path("message").asText().contains("rest.max-bytes"), response);
            assertEquals("close", header(response, "connection"), "the rest of the body is not read");
            assertTrue(
                    sentWhenAnswered < HUGE / 4,
                    "answered after " + sentWhenAnswered + " bytes of " + HUGE + ": the limit held while the body"
                            + " streamed in");
            await("the server closes the connection instead of reading on")
                    .atMost(Duration.ofSeconds(60))
                    .until(writer::isDone);
            assertNotNull(writer.join(), "the client could not send all " + HUGE + " bytes (sent " + sent.get() + ")");
        }
        long grown = used(old, true) - before;
        assertTrue(
                grown < HUGE / 4,
                "the old generation grew by " + grown + " bytes at most during a " + HUGE + "-byte upload");
        HttpResponse<String> next = post(RAW, new byte[3200]);
        assertEquals(200, next.statusCode(), "the gateway carries on: " + next.body());
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413BeforeAnyOfTheBodyIsSent() throws Exception {
        try (RawHttp http = new RawHttp()) {
            http.send("POST " + RAW + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + (LIMIT + 1)
                    + "\r\nExpect: 100-continue\r\n\r\n");
            String response = http.response(); // no body sent: an answer at all shows it was not waited for
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertEquals("message_too_large", body(response).path("code").asText(), response);
        }
    }

    @Test
    void aChunkedBodyOfExactlyTheLimitIsTranscribedAndOneByteMoreIs413() throws Exception {
        for (int extra : new int[] {0, 1}) {
            try (RawHttp http = new RawHttp()) {
                http.postChunked(RAW);
                byte[] block = new byte[100_000]; // not a multiple of any buffer size
                int left = LIMIT + extra;
                try {
                    while (left > 0) {
                        int n = Math.min(left, block.length);
                        http.chunk(block, n);
                        left -= n;
                    }
                    http.send("0\r\n\r\n");
                } catch (IOException e) {
                    // the server may answer and close as soon as the byte too many is in
                    assertEquals(1, extra, "a body within the limit is read to its end: " + e);
                }
                String response = http.response();
                if (extra == 0) {
                    assertTrue(response.startsWith("HTTP/1.1 200"), response);
                    assertEquals(
                            LIMIT / 32000.0,
                            body(response).path("audio_seconds").asDouble(),
                            1e-6,
                            response);
                } else {
                    assertTrue(response.startsWith("HTTP/1.1 413"), response);
                }
            }
        }
    }

    @Test
    void aRecognitionBeyondMaxConcurrentIs429WithAJsonErrorAndTheSlotComesBack() throws Exception {
        try (RawHttp first = new RawHttp()) {
            first.postChunked(RAW, "Expect: 100-continue\r\n");
            // Helidon sends 100 Continue when the handler starts reading the body: the slot is taken
            assertTrue(first.head().startsWith("HTTP/1.1 100"));

            HttpResponse<String> refused = post(RAW, new byte[3200]);
            assertEquals(429, refused.statusCode(), refused.body());
            assertEquals(
                    "application/json",
                    refused.headers().firstValue("content-type").orElse(""));
            assertEquals("1", refused.headers().firstValue("retry-after").orElse(""));
            JsonNode error = JSON.readTree(refused.body());
            assertEquals("capacity_exceeded", error.path("code").asText(), refused.body());
            assertTrue(error.path("message").asText().contains("rest.max-concurrent"), refused.body());

            first.chunk(new byte[3200], 3200);
            first.send("0\r\n\r\n");
            String done = first.response();
            assertTrue(done.startsWith("HTTP/1.1 200"), done);
            assertEquals("chunk 1", body(done).path("transcript").asText(), done);
        }
        HttpResponse<String> after = post(RAW, new byte[3200]);
        assertEquals(200, after.statusCode(), "the finished recognition gave its slot back: " + after.body());
    }

    @Test
    void deepgramsPreRecordedRouteSharesTheBodyLimitAndTheRecognitionSlots() throws Exception {
        String listen = "/v1/listen?encoding=linear16&sample_rate=16000";
        try (RawHttp http = new RawHttp()) {
            http.send("POST " + listen + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + (LIMIT + 1)
                    + "\r\nExpect: 100-continue\r\n\r\n");
            String response = http.response();
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertEquals("PAYLOAD_TOO_LARGE", body(response).path("err_code").asText(), response);
            assertTrue(body(response).path("err_msg").asText().contains("rest.max-bytes"), response);
        }
        try (RawHttp first = new RawHttp()) {
            first.postChunked(RAW, "Expect: 100-continue\r\n");
            assertTrue(first.head().startsWith("HTTP/1.1 100"), "Earshot's route holds the one slot");

            HttpResponse<String> refused = post(listen, new byte[3200]);
            assertEquals(429, refused.statusCode(), refused.body());
            assertEquals(
                    "TOO_MANY_REQUESTS",
                    JSON.readTree(refused.body()).path("err_code").asText());

            first.chunk(new byte[3200], 3200);
            first.send("0\r\n\r\n");
            assertTrue(first.response().startsWith("HTTP/1.1 200"));
        }
        HttpResponse<String> after = post(listen, new byte[3200]);
        assertEquals(200, after.statusCode(), after.body());
    }
}
