package io.refinery.ops.orchestration;

import io.refinery.warehouse.WarehouseConfiguration;
import io.refinery.warehouse.jobs.AssetVersions;
import io.refinery.warehouse.jobs.JobRunFilter;
import io.refinery.warehouse.jobs.JobRunRow;
import io.refinery.warehouse.jobs.JobRunStore;
import io.refinery.warehouse.lease.LeaseProperties;
import io.refinery.warehouse.lease.Leases;
import io.refinery.warehouse.test.TestWarehouseInitializer;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The orchestrator on the real warehouse: triggers, retries, timeouts, halts, lanes and two replicas. */
@SpringJUnitConfig(classes = {WarehouseConfiguration.class, OrchestrationConfiguration.class, TestSteps.class},
        initializers = TestWarehouseInitializer.class)
@TestPropertySource(properties = {"refinery.orchestration.tick=250ms", "refinery.orchestration.retry-backoff=500ms",
        "refinery.orchestration.backfill-concurrency=1", "refinery.lease.ttl=4s", "refinery.lease.settle=1s",
        "refinery.lease.holder=replica-a"})
class OrchestratorTest {

    @Autowired
    Orchestrator orchestrator;
    @Autowired
    JobRunStore history;
    @Autowired
    AssetVersions assets;
    @Autowired
    DSLContext dsl;
    @Autowired
    OrchestrationProperties properties;
    @Autowired
    List<JobStep> steps;

    List<JobRunRow> runs(String job) {
        return history.find(new JobRunFilter(job, null, null, null, null, null, null), 0, 1000);
    }

    static void await(String what, Supplier<Boolean> condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    @Test
    void aManualRunTriggersItsDownstreamJobOnceThroughTheJobsOutputAsset() throws Exception {
        String key = orchestrator.runNow("upstream-a", null, "tester");
        await("upstream-a succeeded", () -> runs("upstream-a").stream()
                .anyMatch(r -> r.triggerKey().equals(key) && r.status().equals("SUCCEEDED")), Duration.ofSeconds(30));
        await("downstream-b ran", () -> runs("downstream-b").stream().anyMatch(r -> r.status().equals("SUCCEEDED")),
                Duration.ofSeconds(30));
        JobRunRow down = runs("downstream-b").getFirst();
        assertThat(down.trigger()).isEqualTo("data");
        assertThat(down.triggerKey()).isEqualTo("data:job:upstream-a=" + assets.version("job:upstream-a"));
        Thread.sleep(3000); // no second run of the same change
        assertThat(runs("downstream-b")).hasSize(1);
        assertThat(down.leaseEpoch()).isPositive();
        // the job's log lines carry its run id
        assertThat(TestSteps.EXECUTIONS).filteredOn(e -> e.job().equals("downstream-b"))
                .extracting(TestSteps.Execution::loggedJobId).containsExactly(down.runId());
    }

    @Test
    void aFailingAttemptIsRetriedWithBackoffUntilItSucceeds() throws Exception {
        orchestrator.runNow("flaky", null, "tester");
        await("flaky succeeded", () -> runs("flaky").stream().anyMatch(r -> r.status().equals("SUCCEEDED")),
                Duration.ofSeconds(60));
        List<JobRunRow> attempts = runs("flaky").stream().sorted(Comparator.comparingInt(JobRunRow::attempt)).toList();
        assertThat(attempts).extracting(JobRunRow::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(JobRunRow::status).containsExactly("FAILED", "FAILED", "SUCCEEDED");
        assertThat(attempts.getFirst().error()).contains("flaky failure 1");
        // backoff doubles: >= 500 ms before the 2nd attempt, >= 1000 ms before the 3rd
        assertThat(Duration.between(attempts.get(0).finishedAt(), attempts.get(1).startedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(Duration.between(attempts.get(1).finishedAt(), attempts.get(2).startedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void anAttemptPastItsTimeoutIsStoppedAndRecorded() throws Exception {
        orchestrator.runNow("slow", null, "tester");
        await("slow timed out", () -> runs("slow").stream().anyMatch(r -> r.status().equals("TIMED_OUT")),
                Duration.ofSeconds(30));
        JobRunRow run = runs("slow").getFirst();
        assertThat(run.durationMillis()).isBetween(900L, 5000L);
        assertThat(run.error()).contains("no result within");
    }

    @Test
    void aHaltedJobIsNotRetriedAndDoesNotTriggerItsDownstream() throws Exception {
        orchestrator.runNow("gate", null, "tester");
        await("gate blocked", () -> runs("gate").stream().anyMatch(r -> r.status().equals("BLOCKED")),
                Duration.ofSeconds(30));
        Thread.sleep(3000);
        assertThat(runs("gate")).hasSize(1);
        assertThat(runs("gate").getFirst().error()).isEqualTo("blocking check failed: test");
        assertThat(runs("after-gate")).isEmpty();
    }

    @Test
    void theOnlineLaneKeepsRunningWhileABackfillIsBusy() throws Exception {
        Orchestrator.Backfill backfill = orchestrator.backfill(Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-03T00:00:00Z"), "tester");
        assertThat(backfill.chunks()).isEqualTo(2);
        await("backfill chunk running", () -> runs("blocking-backfill").stream()
                .anyMatch(r -> r.status().equals("RUNNING")), Duration.ofSeconds(30));

        String key = orchestrator.runNow("online-probe", null, "tester");
        await("online job ran during the backfill", () -> runs("online-probe").stream()
                .anyMatch(r -> r.triggerKey().equals(key) && r.status().equals("SUCCEEDED")), Duration.ofSeconds(30));
        List<JobRunRow> backfillRuns = runs("blocking-backfill");
        assertThat(backfillRuns).hasSize(1).allMatch(r -> r.status().equals("RUNNING")); // 2nd chunk waits: concurrency 1
        assertThat(backfillRuns.getFirst().lane()).isEqualTo("backfill");
        assertThat(backfillRuns.getFirst().scope()).isEqualTo("2026-01-01T00:00:00Z/2026-01-02T00:00:00Z");

        TestSteps.BACKFILL_RELEASE.countDown();
        await("both chunks done", () -> runs("blocking-backfill").stream()
                .filter(r -> r.status().equals("SUCCEEDED")).count() == 2, Duration.ofSeconds(30));
    }

    @Test
    void twoReplicasRunEachScheduledFireOnceAndNeverAtTheSameTime() throws Exception {
        Leases replicaB = new Leases(dsl, new LeaseProperties(Duration.ofSeconds(4), Duration.ofSeconds(1), "replica-b"));
        Orchestrator second = new Orchestrator(steps, replicaB, history, assets, properties);
        Instant from = Instant.now();
        second.start();
        try {
            Thread.sleep(17_000);
        } finally {
            second.stop();
        }
        Thread.sleep(3_000); // let a run in flight finish
        List<TestSteps.Execution> executions = TestSteps.EXECUTIONS.stream()
                .filter(e -> e.job().equals("ticking") && e.start().isAfter(from)).toList();
        assertThat(executions.size()).as("fires every 4 s over ~17 s").isGreaterThanOrEqualTo(3);
        Map<String, Long> perFire = executions.stream().collect(Collectors.groupingBy(TestSteps.Execution::triggerKey,
                Collectors.counting()));
        // stop() lets the run in flight finish, so no execution is cut short and none is repeated
        assertThat(executions).as("executions %s", executions).allMatch(TestSteps.Execution::completed);
        assertThat(perFire.values()).as("executions per fire %s", perFire).allMatch(n -> n == 1);
        List<TestSteps.Execution> ordered = executions.stream().sorted(Comparator.comparing(TestSteps.Execution::start)).toList();
        for (int i = 1; i < ordered.size(); i++) {
            assertThat(ordered.get(i).start()).as("no overlap").isAfterOrEqualTo(ordered.get(i - 1).end());
        }
        List<JobRunRow> stored = runs("ticking").stream().filter(r -> r.startedAt().isAfter(from)).toList();
        assertThat(stored.stream().map(JobRunRow::replica).distinct().toList()).isSubsetOf("replica-a", "replica-b");
        System.out.printf("two replicas in one JVM: %d scheduled fires, %d executions, replicas %s%n", perFire.size(),
                executions.size(), stored.stream().collect(Collectors.groupingBy(JobRunRow::replica, Collectors.counting())));
    }
}
