package dev.earshot.listener;

import io.helidon.common.socket.PeerInfo;
import io.helidon.common.task.InterruptableTask;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.spi.ProtocolConfig;
import io.helidon.webserver.spi.ServerConnection;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces {@link ConnectionLimits} on every HTTP/1 connection of the public listener. It sees
 * each connection three times: when Helidon creates it, before a byte is read
 * ({@link #open}, through {@link GuardedHttp1Provider}); when a request line and when a whole
 * request head have been read (as a receive listener of the HTTP/1 protocol: {@link #prologue},
 * {@link #headers}); and when it ends.
 *
 * <p>A connection beyond {@code max-connections-per-ip} is let in only to have its head read, and
 * answered 429 with {@code Connection: close}: answering before reading the head would close a
 * socket with the request unread in it, which the kernel answers with a reset, and a client still
 * writing its request may then never read the answer. It is not counted, and it has the same head
 * deadline.
 */
public final class ConnectionGuard implements Http1ConnectionListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());
    private static final String WEBSOCKET = "websocket";

    private final ConnectionLimits limits;
    private final AddressCounts addresses;
    private final HeadDeadlines deadlines;
    private final Map<ConnectionContext, Door> open = new ConcurrentHashMap<>();

    /** One open connection: its client address if counted, whether it was let in, and its head clock. */
    private record Door(String counted, boolean refused, HeadClock clock) {}

    public ConnectionGuard(ConnectionLimits limits) {
        this.limits = limits;
        this.addresses = new AddressCounts(limits.maxPerAddress());
        this.deadlines = limits.headDeadline() ? new HeadDeadlines(limits.headerTimeout()) : null;
    }

    /** Whether any rule is on; when none is, {@link #install} leaves Helidon's HTTP/1 protocol as it is. */
    public boolean enabled() {
        return limits.headDeadline() || limits.perAddressLimit();
    }

    /**
     * Puts the guard in front of the server's HTTP/1 protocol: its configuration (with its receive
     * listeners, of which this guard must be one) is wrapped in a {@link GuardedHttp1}, which
     * Helidon hands to {@link GuardedHttp1Provider} instead of its own provider.
     */
    public void install(WebServerConfig.Builder server) {
        if (!enabled()) {
            return;
        }
        List<ProtocolConfig> protocols = new ArrayList<>();
        for (ProtocolConfig protocol : server.protocols()) {
            protocols.add(protocol instanceof Http1Config http1 ? new GuardedHttp1(http1, this) : protocol);
        }
        server.protocols(protocols);
    }

    /** A new connection, before any of its bytes are read: counted, and its head clock started. */
    ServerConnection open(ConnectionContext ctx, ServerConnection http1) {
        String address = limits.perAddressLimit() ? clientAddress(ctx) : null;
        boolean refused = address != null && !addresses.tryAcquire(address);
        HeadClock clock = deadlines == null
                ? null
                : new HeadClock(
                        ctx, () -> http1 instanceof InterruptableTask<?> t && t.canInterrupt(), System.nanoTime());
        Door door = new Door(refused ? null : address, refused, clock);
        open.put(ctx, door);
        if (clock != null) {
            deadlines.watch(clock);
        }
        return new GuardedConnection(http1, () -> close(ctx, door));
    }

    private void close(ConnectionContext ctx, Door door) {
        open.remove(ctx);
        if (door.clock() != null) {
            deadlines.forget(door.clock());
        }
        if (door.counted() != null) {
            addresses.release(door.counted());
        }
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        Door door = open.get(ctx);
        if (door != null && door.clock() != null) {
            door.clock().prologue(System.nanoTime());
        }
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        Door door = open.get(ctx);
        if (door == null) {
            return;
        }
        if (door.clock() != null && !door.clock().headers(asksForWebSocket(headers))) {
            throw new CloseConnectionException("request head later than server.header-timeout");
        }
        if (door.refused()) {
            LOG.log(
                    Level.DEBUG,
                    () -> "more than server.max-connections-per-ip (" + limits.maxPerAddress() + ") from "
                            + ctx.remotePeer().host() + ": 429");
            throw RequestException.builder()
                    .type(DirectHandler.EventType.OTHER)
                    .status(Status.TOO_MANY_REQUESTS_429)
                    .message("too many connections from one address")
                    .safeMessage(true)
                    .setKeepAlive(false)
                    .header(HeaderValues.create(HeaderNames.RETRY_AFTER, "1"))
                    .build();
        }
    }

    /** Whether the head asks for the upgrade Earshot serves (the value as {@code ws.HandshakeTokens} left it). */
    private static boolean asksForWebSocket(Headers headers) {
        return headers.contains(HeaderNames.UPGRADE)
                && headers.get(HeaderNames.UPGRADE)
                        .get()
                        .toLowerCase(Locale.ROOT)
                        .contains(WEBSOCKET);
    }

    /**
     * The client's address: the one a proxy reported through the PROXY protocol when Helidon's
     * {@code enable-proxy-protocol} is on, else the TCP peer's.
     */
    static String clientAddress(ConnectionContext ctx) {
        Optional<String> proxied =
                ctx.proxyProtocolData().map(ProxyProtocolData::sourceAddress).filter(a -> !a.isEmpty());
        if (proxied.isPresent()) {
            return proxied.get();
        }
        PeerInfo peer = ctx.remotePeer();
        return peer.address() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : peer.host();
    }

    /** Stops the deadline sweeper; call after the server has stopped. */
    @Override
    public void close() {
        if (deadlines != null) {
            deadlines.close();
        }
    }
}
