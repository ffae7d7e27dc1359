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

    @Test
    void manyThreadsContendingForOneKeyGiveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 3; round++) {
            String key = "test:contention:" + UUID.randomUUID();
            int threads = 8;
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Lease> winners = new CopyOnWriteArrayList<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Leases leases = replica("thread-" + t);
                running.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        leases.tryAcquire(key).ifPresent(winners::add);
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            for (Thread thread : running) {
                thread.join();
            }
            assertThat(errors).isEmpty();
            assertThat(winners).as("winners of round %d", round).hasSize(1);
            assertThat(replica("observer").state(key).holder()).isEqualTo(winners.getFirst().holder());
            winners.getFirst().close();
        }
    }

    @Test
    void processesContendingForOneKeyGiveExactlyOneWinner() throws Exception {
        String key = "test:jvms:" + UUID.randomUUID();
        long startAt = System.currentTimeMillis() + 6_000; // both JVMs are up by then
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            processes.add(new ProcessBuilder(List.of(
                    System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                    "-cp", System.getProperty("java.class.path"), LeaseContender.class.getName(),
                    endpoint.jdbcUrl(), endpoint.user(), endpoint.password(), key, Long.toString(startAt), "4", "4000"))
                    .redirectErrorStream(true).start());
        }
        // This JVM contends too, with its own threads (a third "replica").
        List<Lease> local = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Leases leases = new Leases(dsl, new LeaseProperties(Duration.ofSeconds(6), Duration.ofMillis(1500), "test-jvm-t" + t));
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
                    leases.tryAcquire(key).ifPresent(local::add);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        List<String> lines = new ArrayList<>();
        for (Process process : processes) {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                out.lines().filter(l -> l.matches("^(WON|LOST|HELD|ERROR) .*")).forEach(lines::add);
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(lines).noneMatch(l -> l.startsWith("ERROR"));
        long remoteWins = lines.stream().filter(l -> l.startsWith("WON")).count();
        assertThat(lines.stream().filter(l -> l.startsWith("WON") || l.startsWith("LOST")).count()).isEqualTo(8);
        assertThat(remoteWins + local.size()).as("winners across 3 JVMs x 4 threads: %s, local %s", lines, local)
                .isEqualTo(1);
        if (remoteWins == 1) {
            assertThat(lines).anyMatch(l -> l.startsWith("HELD ") && l.endsWith(" true"));
        }
        local.forEach(Lease::close);
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
        Lease stale = new Lease(a, key, crashed.epoch(), crashed.claimId(), TTL, System.nanoTime() + TTL.toNanos());
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
