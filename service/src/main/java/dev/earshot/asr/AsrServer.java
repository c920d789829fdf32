package dev.earshot.asr;

import dev.earshot.asr.engine.RecognitionEngine;
import dev.earshot.asr.grpc.ApiKeyCheck;
import dev.earshot.asr.grpc.HealthService;
import dev.earshot.asr.grpc.RivaAsrService;
import dev.earshot.asr.sphinx.SphinxEngine;
import dev.earshot.asr.synthetic.SyntheticEngine;
import dev.earshot.grpc.GrpcEventLoop;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded Riva-compatible recognizer: a gRPC server on {@code asr.port} serving
 * {@code RivaSpeechRecognition} and health in front of the configured engine, for Riva's own
 * clients and other processes.
 *
 * <p>The same services are also served in-process ({@link #inProcessName()}): the gateway in this
 * process reaches its recognizer through gRPC calls with the same semantics (status codes,
 * cancellation, flow control, metadata), but without HTTP/2 framing and loopback TCP in between.
 * Measured with the load tool, that hop cost about half of the gateway's CPU per audio chunk
 * (docs/performance.md).
 *
 * <p>The server is grpc-java's own (Netty), with calls dispatched to virtual threads. Helidon
 * 4.2.0's gRPC server was tried first and dropped: it never tells a service that the client
 * cancelled (RST_STREAM stops at the HTTP/2 layer), so an abandoned stream would hold a decoder
 * for ever; it sends errors that come before any message without {@code :status}, which clients
 * read as INTERNAL; it cannot limit inbound message size; and it counts cancelled streams as
 * "rapid resets", closing the gateway's shared connection under churn.
 */
public final class AsrServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AsrServer.class.getName());

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final RecognitionEngine engine;
    private final Server server;
    private final Server inProcess;
    private final String inProcessName;
    private final ExecutorService calls;

    private AsrServer(
            RecognitionEngine engine, Server server, Server inProcess, String inProcessName, ExecutorService calls) {
        this.engine = engine;
        this.server = server;
        this.inProcess = inProcess;
        this.inProcessName = inProcessName;
        this.calls = calls;
    }

    /** Loads the engine and starts serving; returns once the port is open. */
    public static AsrServer start(AsrConfig config) {
        return start(config, null);
    }

    /** As {@link #start(AsrConfig)}, serving on {@code loop} (null: grpc-java's default event loops). */
    public static AsrServer start(AsrConfig config, GrpcEventLoop loop) {
        RecognitionEngine engine = createEngine(config);
        ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
        NettyServerBuilder tcp = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()))
                .flowControlWindow(1024 * 1024)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
        if (loop != null) {
            loop.apply(tcp);
        }
        String name = "earshot-asr-" + INSTANCES.incrementAndGet();
        // the in-process server is reachable only from this process (the gateway): no key to check
        Server inProcess = serve(InProcessServerBuilder.forName(name), engine, config, calls)
                .build();
        if (!config.apiKey().isBlank()) {
            tcp.intercept(new ApiKeyCheck(config.apiKey()));
        }
        Server server = serve(tcp, engine, config, calls).build();
        try {
            inProcess.start();
            server.start();
        } catch (IOException e) {
            inProcess.shutdownNow();
            calls.shutdownNow();
            engine.close();
            throw new UncheckedIOException("asr server cannot listen on " + config.host() + ":" + config.port(), e);
        }
        LOG.log(
                Level.INFO,
                "asr server engine=" + config.engine() + " listening on gRPC " + config.host() + ":" + server.getPort()
                        + " and in-process as " + name + ", healthy=" + engine.healthy());
        return new AsrServer(engine, server, inProcess, name, calls);
    }

    /** What both servers share: the services, the size limit and the call executor. */
    private static <T extends ServerBuilder<T>> T serve(
            T builder, RecognitionEngine engine, AsrConfig config, ExecutorService calls) {
        if (engine instanceof SyntheticEngine) {
            builder.directExecutor(); // answers in microseconds and never blocks
        } else {
            builder.executor(calls); // decoders may block the caller while they catch up
        }
        return builder.addService(new RivaAsrService(engine, config.maxMessageBytes()))
                .addService(new HealthService(engine::healthy))
                .maxInboundMessageSize(config.maxMessageBytes());
    }

    /** The engine {@code asr.engine} names. */
    private static RecognitionEngine createEngine(AsrConfig config) {
        return switch (config.engine()) {
            case AsrConfig.SYNTHETIC -> new SyntheticEngine();
            default -> SphinxEngine.start(config.poolSize(), config.queueTimeout());
        };
    }

    public int port() {
        return server.getPort();
    }

    /** The address the gRPC port is bound to ({@code asr.host}). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenSockets().get(0);
    }

    /** The name under which this recognizer is served in-process (grpc-java's in-process transport). */
    public String inProcessName() {
        return inProcessName;
    }

    public RecognitionEngine engine() {
        return engine;
    }

    /** Blocks until the server has stopped ({@link #close()} from another thread, e.g. a shutdown hook). */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        inProcess.shutdownNow();
        server.shutdownNow();
        try {
            inProcess.awaitTermination(5, TimeUnit.SECONDS);
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.shutdownNow();
        engine.close();
    }
}
