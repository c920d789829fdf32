package dev.earshot.listener;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsConfig;
import io.helidon.webserver.WebServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A deadline for the TLS handshake of the public listener ({@code server.tls}): the request
 * head's, {@code server.header-timeout}. On the blocking socket Earshot uses, Helidon 4.5.0 runs
 * the handshake as it accepts a connection, before the connection the {@link ConnectionGuard}
 * times exists, and reads with no timeout: a client that connected and then stalled its handshake
 * would hold the socket, its thread and a place under {@code max-tcp-connections} for good.
 *
 * <p>The listener's SSL context is wrapped so that each socket it layers TLS over reads with that
 * timeout until its handshake is complete; one that stalls longer fails with a read timeout, and
 * Helidon closes the socket. The JDK reports a finished handshake on a thread of its own, which
 * takes the timeout off, so that a WebSocket session that is quiet for a while is not cut; the
 * head deadline then applies as on a plain connection.
 *
 * <p>Helidon's NIO socket ({@code server.use-nio: true}) shakes hands later, during its first
 * read, where neither this deadline nor the head's can end a stalled handshake (measured:
 * {@code TlsHandshakeDeadlineTest}'s stalled clients stay connected); that combination is
 * logged as a warning at start.
 */
public final class TlsHandshakeDeadline {
    private static final System.Logger LOG = System.getLogger(TlsHandshakeDeadline.class.getName());

    private TlsHandshakeDeadline() {}

    /**
     * Gives the listener's TLS, if any, a handshake deadline of {@code timeout} (none when zero).
     * Call after the listener's socket kind is settled.
     */
    public static void install(WebServerConfig.Builder server, Duration timeout) {
        Optional<Tls> tls = server.tls();
        if (tls.isEmpty() || !tls.get().enabled() || timeout.isZero()) {
            return;
        }
        server.tls(apply(tls.get(), timeout));
        if (server.useNio()) {
            LOG.log(
                    Level.WARNING,
                    "server.use-nio is true with server.tls: a TLS handshake that stalls is not timed out on"
                            + " Helidon's NIO socket (server.header-timeout applies to it on the default blocking"
                            + " socket only)");
        }
    }

    /**
     * {@code tls} with a handshake deadline of {@code timeout}; {@code tls} itself when it is off
     * or the timeout is zero (no deadline).
     */
    static Tls apply(Tls tls, Duration timeout) {
        if (!tls.enabled() || timeout.isZero()) {
            return tls;
        }
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return Tls.create(TlsConfig.builder()
                .sslContext(new TimedContext(tls.sslContext(), millis))
                .sslParameters(tls.sslParameters())
                .buildPrototype());
    }

    /** An SSL context that is {@code delegate} but for the sockets its socket factory layers. */
    private static final class TimedContext extends SSLContext {
        TimedContext(SSLContext delegate, int millis) {
            super(new TimedSpi(delegate, millis), delegate.getProvider(), delegate.getProtocol());
        }
    }

    private static final class TimedSpi extends SSLContextSpi {
        private final SSLContext delegate;
        private final SSLSocketFactory sockets;

        TimedSpi(SSLContext delegate, int millis) {
            this.delegate = delegate;
            this.sockets = new TimedSocketFactory(delegate.getSocketFactory(), millis);
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("the listener's SSL context is initialised already");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return sockets;
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate.createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return delegate.createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }

    /** Layers TLS over an accepted socket that reads with a timeout until the handshake is done. */
    private static final class TimedSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final int millis;

        TimedSocketFactory(SSLSocketFactory delegate, int millis) {
            this.delegate = delegate;
            this.millis = millis;
        }

        /** What Helidon calls for each accepted connection: TLS in server mode over {@code plain}. */
        @Override
        public Socket createSocket(Socket plain, InputStream consumed, boolean autoClose) throws IOException {
            plain.setSoTimeout(millis);
            SSLSocket tls = (SSLSocket) delegate.createSocket(plain, consumed, autoClose);
            tls.addHandshakeCompletedListener(done -> {
                try {
                    plain.setSoTimeout(0);
                } catch (SocketException e) {
                    LOG.log(Level.TRACE, "socket closed before its handshake was reported", e);
                }
            });
            return tls;
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return delegate.createSocket(s, host, port, autoClose);
        }

        @Override
        public Socket createSocket() throws IOException {
            return delegate.createSocket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return delegate.createSocket(host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return delegate.createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return delegate.createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return delegate.createSocket(address, port, localAddress, localPort);
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
