package dev.earshot.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one Netty event loop that carries this process's gRPC traffic: the Riva channel and, when
 * the recognizer is embedded, its server too.
 *
 * <p>Why one thread: a gRPC channel is one HTTP/2 connection, and a connection is served by a
 * single event loop thread whatever the group's size, so grpc-java's default group (twice the
 * cores) only adds idle threads. With the embedded recognizer, client and server on the same
 * thread hand each message over without waking another thread: measured with the load tool at
 * 1,000 sessions, gateway CPU per chunk fell from about 118 µs to about 100 µs (docs/performance.md).
 *
 * <p>Netty's buffer leak detector, which records a stack trace for a sample of buffers, is off
 * unless {@code io.grpc.netty.shaded.io.netty.leakDetection.level} says otherwise.
 */
public final class GrpcEventLoop implements AutoCloseable {
    private static final String LEAK_PROPERTY = "io.grpc.netty.shaded.io.netty.leakDetection.level";

    private final EventLoopGroup group;
    private final boolean epoll;

    private GrpcEventLoop(EventLoopGroup group, boolean epoll) {
        this.group = group;
        this.epoll = epoll;
    }

    /** A one-thread loop, on epoll where Netty's native transport loads, else on NIO. */
    public static GrpcEventLoop create() {
        if (System.getProperty(LEAK_PROPERTY) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        DefaultThreadFactory threads = new DefaultThreadFactory("earshot-grpc", true);
        return Epoll.isAvailable()
                ? new GrpcEventLoop(new EpollEventLoopGroup(1, threads), true)
                : new GrpcEventLoop(new NioEventLoopGroup(1, threads), false);
    }

    /** Puts a client channel on this loop. */
    public NettyChannelBuilder apply(NettyChannelBuilder builder) {
        return builder.eventLoopGroup(group).channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class);
    }

    /** Puts a server (accepting and serving) on this loop. */
    public NettyServerBuilder apply(NettyServerBuilder builder) {
        return builder.bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
    }

    /** Stops the thread once the channels and servers on it are closed. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
