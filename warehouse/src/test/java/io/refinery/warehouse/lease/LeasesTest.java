package io.refinery.warehouse.lease;

import io.refinery.warehouse.WarehouseEndpoint;
import io.refinery.warehouse.test.WarehouseTest;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Leases on the real engine: contention, renewal, expiry takeover and fencing. */
@WarehouseTest
class LeasesTest {

    static final Duration TTL = Duration.ofSeconds(4);
    static final Duration SETTLE = Duration.ofSeconds(1);

    @Autowired
    DSLContext dsl;
    @Autowired
    WarehouseEndpoint endpoint;

    Leases replica(String name) {
        return new Leases(dsl, new LeaseProperties(TTL, SETTLE, name));
    }

    /** When a winner held its lease: [acquired, lost or still held at the end]. */
    record Tenure(String holder, long epoch, long from, long to) {
    }

    /** Records a local winner's tenure: its end when lost, or now when still held at {@link #close}. */
    static final class Tenures {
        final List<Tenure> ended = new CopyOnWriteArrayList<>();
        final Map<Lease, Long> acquired = new java.util.concurrent.ConcurrentHashMap<>();

        void won(Lease lease) {
            long from = System.currentTimeMillis();
            acquired.put(lease, from);
            lease.onLost(() -> ended.add(new Tenure(lease.holder(), lease.epoch(), from, System.currentTimeMillis())));
        }

        List<Tenure> close() {
            List<Tenure> all = new ArrayList<>(ended);
            acquired.forEach((lease, from) -> {
                if (lease.isHeld()) {
                    all.add(new Tenure(lease.holder(), lease.epoch(), from, System.currentTimeMillis()));
                }
                lease.close();
            });
            return all;
        }
    }

    /** Safety: one winner per epoch, and each epoch began only after the one before it ended. */
    static void assertOneHolderAtATime(List<Tenure> tenures) {
        List<Tenure> ordered = tenures.stream().sorted(java.util.Comparator.comparingLong(Tenure::epoch)).toList();
        assertThat(ordered.stream().map(Tenure::epoch).distinct().count()).as("one winner per epoch: %s", ordered)
                .isEqualTo(ordered.size());
        for (int i = 1; i < ordered.size(); i++) {
            assertThat(ordered.get(i).from()).as("epoch %d began after epoch %d ended: %s", ordered.get(i).epoch(),
                    ordered.get(i - 1).epoch(), ordered).isGreaterThanOrEqualTo(ordered.get(i - 1).to());
        }
    }

    @Test
    void manyThreadsContendingForOneKeyGiveExactlyOneWinner() throws Exception {
        int rounds = 3;
        int roundsWithOneWinner = 0;
        for (int round = 0; round < rounds; round++) {
            String key = "test:contention:" + UUID.randomUUID();
            int threads = 8;
            CyclicBarrier start = new CyclicBarrier(threads);
            Tenures tenures = new Tenures();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Leases leases = replica("thread-" + t);
                running.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        leases.tryAcquire(key).ifPresent(tenures::won);
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            for (Thread thread : running) {
                thread.join();
            }
            assertThat(errors).isEmpty();
            int winners = tenures.acquired.size();
            if (winners == 1) {
                roundsWithOneWinner++;
                assertThat(replica("observer").state(key).holder()).isEqualTo(tenures.acquired.keySet().iterator().next().holder());
            }
            // Safety, whatever the load: never two holders at once. (A winner whose claim took most of the
            // ttl on a loaded machine may lose its lease; only then may a later claim win the next epoch.)
            assertOneHolderAtATime(tenures.close());
        }
        // Liveness: 8 simultaneous claims on a free key give exactly one winner, unless every claim's
        // insert took longer than settle (a machine too loaded for the configured settle).
        System.out.printf("contention: %d of %d rounds had exactly one winner%n", roundsWithOneWinner, rounds);
        assertThat(roundsWithOneWinner).isPositive();
    }

    @Test
    void processesContendingForOneKeyGiveExactlyOneWinner() throws Exception {
        String key = "test:jvms:" + UUID.randomUUID();
        long startAt = System.currentTimeMillis() + 8_000; // both JVMs are up by then
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            processes.add(new ProcessBuilder(List.of(
                    System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                    "-cp", System.getProperty("java.class.path"), LeaseContender.class.getName(),
                    endpoint.jdbcUrl(), endpoint.user(), endpoint.password(), key, Long.toString(startAt), "4", "4000"))
                    .redirectErrorStream(true).start());
        }
        // This JVM contends too, with its own threads (a third "replica").
        Tenures local = new Tenures();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Leases leases = new Leases(dsl, new LeaseProperties(Duration.ofSeconds(6), Duration.ofMillis(1500), "test-jvm-t" + t));
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
                    leases.tryAcquire(key).ifPresent(local::won);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        List<String> lines = new ArrayList<>();
        for (Process process : processes) {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                out.lines().filter(l -> l.matches("^(WON|LOST|HELD|ENDED|ERROR) .*")).forEach(lines::add);
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(lines).noneMatch(l -> l.startsWith("ERROR"));
        assertThat(lines.stream().filter(l -> l.startsWith("WON") || l.startsWith("LOST")).count()).isEqualTo(8);
        List<Tenure> tenures = new ArrayList<>(local.close());
        Map<String, Long> wonAt = new java.util.HashMap<>();
        for (String line : lines) {
            String[] p = line.split(" ");
            if (p[0].equals("WON")) {
                wonAt.put(p[1], Long.parseLong(p[3]));
            } else if (p[0].equals("ENDED")) {
                tenures.add(new Tenure(p[1], Long.parseLong(p[2]), wonAt.get(p[1]), Long.parseLong(p[3])));
            }
        }
        long winners = wonAt.size() + local.acquired.size();
        System.out.printf("3 JVMs x 4 threads: %d winner(s): %s%n", winners, tenures);
        assertThat(winners).isPositive();
        assertThat(tenures).hasSize((int) winners);
        assertOneHolderAtATime(tenures);
    }

    @Test
    void renewalKeepsTheLeaseAndReleaseHandsItOverAtOnce() throws Exception {
        String key = "test:renew:" + UUID.randomUUID();
        Lease a = replica("a").tryAcquire(key).orElseThrow();
        Leases b = replica("b");
        Thread.sleep(TTL.multipliedBy(2).plus(SETTLE).toMillis()); // well past the first expiry
        assertThat(a.isHeld()).isTrue();
        assertThat(b.tryAcquire(key)).isEmpty();
        LeaseState state = b.state(key);
        assertThat(state.held()).isTrue();
        assertThat(state.holder()).isEqualTo("a");

        a.close();
        assertThat(a.isHeld()).isFalse();
        Lease next = b.tryAcquire(key).orElseThrow();
        assertThat(next.epoch()).isEqualTo(a.epoch() + 1);
        next.close();
    }

    @Test
    void anAbandonedLeaseIsTakenOverAfterItsExpiryAndTheOldHolderIsFencedOff() throws Exception {
        String key = "test:takeover:" + UUID.randomUUID();
        Leases a = replica("a");
        Lease crashed = a.tryAcquire(key).orElseThrow();
        crashed.abandon(); // like kill -9: no more renewals, no release
        long abandonedAt = System.nanoTime();
        Leases b = replica("b");
        assertThat(b.tryAcquire(key)).as("still within its ttl").isEmpty();

        Optional<Lease> taken = Optional.empty();
        while (taken.isEmpty() && System.nanoTime() - abandonedAt < TTL.multipliedBy(4).toNanos()) {
            taken = b.tryAcquire(key);
        }
        long takeoverMillis = (System.nanoTime() - abandonedAt) / 1_000_000;
        assertThat(taken).isPresent();
        assertThat(takeoverMillis).isGreaterThanOrEqualTo(TTL.minus(SETTLE).toMillis());
        System.out.printf("lease takeover after abandon: %d ms (ttl %d ms, settle %d ms)%n", takeoverMillis,
                TTL.toMillis(), SETTLE.toMillis());
        assertThat(taken.get().epoch()).isEqualTo(crashed.epoch() + 1);

        // The old holder coming back (a stale handle with a fresh local deadline) cannot renew.
        Lease stale = new Lease(a, key, crashed.epoch(), crashed.claimId(), TTL, System.nanoTime() + TTL.toNanos(),
                System.currentTimeMillis() + TTL.toMillis());
        assertThat(a.renew(stale)).contains("refused");
        assertThat(b.state(key).holder()).isEqualTo("b");
        taken.get().close();
    }

    @Test
    void aHolderThatIsTakenOverIsToldItLostTheLease() throws Exception {
        String key = "test:lost:" + UUID.randomUUID();
        Leases a = replica("a");
        Lease lease = a.tryAcquire(key).orElseThrow();
        CountDownLatch lost = new CountDownLatch(1);
        lease.onLost(lost::countDown);
        // Someone releases the epoch behind the holder's back (an operator forcing a hand-over):
        // the next renewal is refused and the holder hears about it.
        dsl.execute("INSERT INTO leases (lease_key, epoch, claim_id, op_id, holder, action, at, expires_at) "
                + "SELECT '" + key + "', " + lease.epoch() + ", generateUUIDv4(), generateUUIDv4(), 'operator', 'release', now64(3), now64(3)");
        assertThat(lost.await(TTL.toMillis() * 2, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(lease.isHeld()).isFalse();
    }
}
