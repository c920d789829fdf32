package dev.earshot.listener;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.spi.ServerConnection;
import java.time.Duration;

/**
 * Helidon's HTTP/1 connection, unchanged but for one thing: when it ends, however it ends, the
 * {@link ConnectionGuard} forgets it. Everything else (idle time, closing, whether a shutdown may
 * interrupt it) is the wrapped connection's, so Helidon's own idle timeout and shutdown treat it
 * as before.
 */
final class GuardedConnection implements ServerConnection, InterruptableTask<Void> {
    private final ServerConnection http1;
    private final Runnable ended;

    GuardedConnection(ServerConnection http1, Runnable ended) {
        this.http1 = http1;
        this.ended = ended;
    }

    @Override
    public void handle(Limit requestLimit) throws InterruptedException {
        try {
            http1.handle(requestLimit);
        } finally {
            ended.run();
        }
    }

    @Override
    public Duration idleTime() {
        return http1.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
        http1.close(interrupt);
    }

    @Override
    public boolean canInterrupt() {
        return http1 instanceof InterruptableTask<?> task && task.canInterrupt();
    }
}
