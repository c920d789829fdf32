package dev.earshot.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code earshot-tools stall}: one client that opens a session and streams audio in real time but
 * never reads what the gateway sends back, with a receive buffer as small as the kernel allows, so
 * that the gateway's writes to it block soon. Run beside {@code loadtest} it shows whether such a
 * client slows anybody else down (it must not: {@code sessions.write-timeout}) and how long the
 * gateway takes to close it ({@code bench/slow-client.sh}).
 */
public final class StalledClient {
    private static final int CHUNK = 3200; // 100 ms of 16 kHz 16-bit mono
    private static final String USAGE = """
            usage: earshot-tools stall [--url ws://127.0.0.1:8080/api/v1/transcribe] [--seconds S]
              streams S seconds (default 60) of silence in real time and never reads; prints when
              the gateway closed the connection, or that it did not
            """;

    private StalledClient() {}

    public static int main(String[] args, PrintStream out) throws IOException, InterruptedException {
        URI url = URI.create("ws://127.0.0.1:8080/api/v1/transcribe");
        int seconds = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = URI.create(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> {
                    out.print(USAGE);
                    return 2;
                }
            }
        }
        try (SocketChannel channel = SocketChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1024); // before connect: a small window
            channel.connect(new InetSocketAddress(url.getHost(), url.getPort()));
            if (!handshake(channel, url)) {
                out.println("stalled client: the gateway refused the session");
                return 1;
            }
            int mask = ThreadLocalRandom.current().nextInt();
            write(
                    channel,
                    FrameCodec.clientFrame(
                            1, "{\"type\":\"start_transcription\"}".getBytes(StandardCharsets.UTF_8), mask));
            ByteBuffer audio = FrameCodec.clientFrame(2, new byte[CHUNK], mask);
            long start = System.nanoTime();
            for (int chunk = 0; chunk < seconds * 10; chunk++) {
                long due = start + chunk * 100_000_000L;
                Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                try {
                    write(channel, audio.duplicate());
                } catch (IOException e) {
                    out.printf(
                            "stalled client: closed by the gateway after %.1f s (%s)%n",
                            (System.nanoTime() - start) / 1e9, e.getMessage());
                    return 0;
                }
            }
            out.printf("stalled client: still open after %d s%n", seconds);
            return 0;
        }
    }

    private static boolean handshake(SocketChannel channel, URI url) throws IOException {
        Handshake handshake = new Handshake(ThreadLocalRandom.current());
        write(channel, handshake.request(url.getHost() + ":" + url.getPort(), url.getPath()));
        ByteBuffer in = ByteBuffer.allocate(4096);
        while (channel.read(in) >= 0) {
            in.flip();
            Handshake.Result result = handshake.offer(in);
            if (result != null) {
                return result.upgraded();
            }
            in.compact();
        }
        return false;
    }

    private static void write(SocketChannel channel, ByteBuffer frame) throws IOException {
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }
}
