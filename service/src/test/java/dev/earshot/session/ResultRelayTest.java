package dev.earshot.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The relay between Riva's answers and the client's socket: answers given on the socket's own
 * thread are written there, answers from other threads by the stream's pump, and the client sees
 * them in the order they arrived either way.
 */
class ResultRelayTest {
    private static final long WAIT_SECONDS = 10;

    private record Written(int event, Thread thread) {}

    @Test
    void answersGivenOnTheOwnersThreadWaitForItAndStartNoThread() {
        List<Written> written = new ArrayList<>();
        ResultRelay<Integer> relay = new ResultRelay<>(
                Thread.currentThread(), "pump", e -> written.add(new Written(e, Thread.currentThread())));
        relay.offer(1);
        relay.offer(2);
        assertTrue(written.isEmpty(), "nothing is written behind the owner's back: " + written);

        relay.deliverPending();

        assertEquals(List.of(new Written(1, Thread.currentThread()), new Written(2, Thread.currentThread())), written);
        relay.deliverPending();
        assertEquals(2, written.size(), "each answer is written once");
    }

    @Test
    void answersFromAnotherThreadAreWrittenByTheStreamsOwnVirtualThreadInOrder() throws Exception {
        ConcurrentLinkedQueue<Written> written = new ConcurrentLinkedQueue<>();
        CountDownLatch all = new CountDownLatch(1000);
        ResultRelay<Integer> relay = new ResultRelay<>(Thread.currentThread(), "session-x", e -> {
            written.add(new Written(e, Thread.currentThread()));
            all.countDown();
        });
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 1000; i++) {
                relay.offer(i);
            }
        });
        producer.join();

        assertTrue(all.await(WAIT_SECONDS, TimeUnit.SECONDS), "written: " + written.size());
        List<Integer> order = written.stream().map(Written::event).toList();
        assertEquals(java.util.stream.IntStream.range(0, 1000).boxed().toList(), order);
        Thread pump = written.peek().thread();
        assertTrue(pump.isVirtual(), pump.toString());
        assertEquals("session-x", pump.getName());
        assertTrue(written.stream().allMatch(w -> w.thread() == pump), "one pump per stream");
        relay.close();
        pump.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(pump.isAlive(), "the pump ends when the relay closes");
    }

    @Test
    void answersArrivingOnBothKindsOfThreadReachTheClientInArrivalOrder() throws Exception {
        int perProducer = 20_000;
        ReentrantLock arrival = new ReentrantLock(); // makes queue order = sequence order
        int[] next = {0};
        ConcurrentLinkedQueue<Integer> written = new ConcurrentLinkedQueue<>();
        CountDownLatch all = new CountDownLatch(2 * perProducer);
        AtomicReference<ResultRelay<Integer>> relay = new AtomicReference<>();
        Thread owner = Thread.ofVirtual()
                .unstarted(
                        () -> { // the socket's thread
                            Thread foreign = Thread.ofPlatform()
                                    .start(
                                            () -> { // an event loop
                                                for (int i = 0; i < perProducer; i++) {
                                                    offerNext(relay.get(), arrival, next);
                                                }
                                            });
                            for (int i = 0; i < perProducer; i++) {
                                offerNext(relay.get(), arrival, next);
                                relay.get().deliverPending();
                            }
                            joinQuietly(foreign);
                            relay.get().deliverPending();
                        });
        relay.set(new ResultRelay<>(owner, "pump", e -> {
            written.add(e);
            slowWrite(); // widens the window in which writers could overlap
            all.countDown();
        }));
        owner.start();
        owner.join();

        assertTrue(all.await(WAIT_SECONDS, TimeUnit.SECONDS), "written: " + written.size());
        List<Integer> expected =
                java.util.stream.IntStream.range(0, 2 * perProducer).boxed().toList();
        assertEquals(expected, List.copyOf(written), "every answer once, in arrival order");
        relay.get().close();
    }

    @Test
    void closingDropsWhatIsQueuedAndWritesNothingMore() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ConcurrentLinkedQueue<Integer> written = new ConcurrentLinkedQueue<>();
        ResultRelay<Integer> relay = new ResultRelay<>(Thread.currentThread(), "pump", e -> {
            written.add(e);
            firstStarted.countDown();
            awaitQuietly(release); // a client slow to take the first answer
        });
        Thread producer = Thread.ofPlatform().start(() -> {
            relay.offer(1);
            relay.offer(2);
            relay.offer(3);
        });
        producer.join();
        assertTrue(firstStarted.await(WAIT_SECONDS, TimeUnit.SECONDS));

        relay.close();
        release.countDown();
        relay.deliverPending();

        // the first answer only, and it stays that way (100 ms: room for a wrong write to happen)
        await("nothing is written after close")
                .during(Duration.ofMillis(100))
                .atMost(Duration.ofSeconds(WAIT_SECONDS))
                .until(() -> List.copyOf(written), List.of(1)::equals);
    }

    private static void slowWrite() {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 2_000) {
            Thread.onSpinWait();
        }
    }

    private static void offerNext(ResultRelay<Integer> relay, ReentrantLock arrival, int[] next) {
        arrival.lock();
        try {
            relay.offer(next[0]++);
        } finally {
            arrival.unlock();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
