package io.refinery.ops.orchestration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Job steps whose executions the tests can observe. */
@Configuration(proxyBeanMethods = false)
class TestSteps {

    /**
     * One execution of a step: when, by which attempt, for which occasion, whether its work ran to the end, and
     * the job run id its log lines carried (MDC {@code jobId}).
     */
    record Execution(String job, String triggerKey, int attempt, Instant start, Instant end, boolean completed,
                     String loggedJobId) {
    }

    static final List<Execution> EXECUTIONS = new CopyOnWriteArrayList<>();
    static final CountDownLatch BACKFILL_RELEASE = new CountDownLatch(1);
    static final AtomicInteger FLAKY_CALLS = new AtomicInteger();

    static Step step(String name, List<String> upstream, String schedule, Duration timeout, int attempts, Work work) {
        return new Step(name, upstream, schedule, timeout, attempts, work);
    }

    interface Work {
        void run(JobContext context) throws Exception;
    }

    static class Step implements JobStep {
        private final String name;
        private final List<String> upstream;
        private final String schedule;
        private final Duration timeout;
        private final int attempts;
        private final Work work;

        Step(String name, List<String> upstream, String schedule, Duration timeout, int attempts, Work work) {
            this.name = name;
            this.upstream = upstream;
            this.schedule = schedule;
            this.timeout = timeout;
            this.attempts = attempts;
            this.work = work;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<String> upstream() {
            return upstream;
        }

        @Override
        public String schedule() {
            return schedule;
        }

        @Override
        public Duration timeout() {
            return timeout;
        }

        @Override
        public int maxAttempts() {
            return attempts;
        }

        @Override
        public void run(JobContext context) throws Exception {
            Instant start = Instant.now();
            boolean completed = false;
            try {
                work.run(context);
                completed = true;
            } finally {
                EXECUTIONS.add(new Execution(name, context.triggerKey(), context.attempt(), start, Instant.now(),
                        completed, org.slf4j.MDC.get("jobId")));
            }
        }
    }

    static final class BlockingBackfill extends Step implements BackfillStep {
        BlockingBackfill() {
            super("blocking-backfill", List.of(), null, Duration.ofMinutes(2), 1, c -> BACKFILL_RELEASE.await());
        }
    }

    @Bean
    JobStep upstreamA() {
        return step("upstream-a", List.of(), null, Duration.ofMinutes(1), 1, c -> c.detail("done"));
    }

    @Bean
    JobStep downstreamB() {
        return step("downstream-b", List.of("job:upstream-a"), null, Duration.ofMinutes(1), 1, c -> { });
    }

    @Bean
    JobStep flaky() {
        return step("flaky", List.of(), null, Duration.ofMinutes(1), 3, c -> {
            if (FLAKY_CALLS.incrementAndGet() < 3) {
                throw new IllegalStateException("flaky failure " + FLAKY_CALLS.get());
            }
        });
    }

    @Bean
    JobStep slow() {
        return step("slow", List.of(), null, Duration.ofSeconds(1), 1, c -> Thread.sleep(10_000));
    }

    @Bean
    JobStep gate() {
        return step("gate", List.of(), null, Duration.ofMinutes(1), 3, c -> c.halt("blocking check failed: test"));
    }

    @Bean
    JobStep afterGate() {
        return step("after-gate", List.of("job:gate"), null, Duration.ofMinutes(1), 1, c -> { });
    }

    @Bean
    JobStep onlineProbe() {
        return step("online-probe", List.of(), null, Duration.ofMinutes(1), 1, c -> { });
    }

    @Bean
    JobStep ticking() {
        return step("ticking", List.of(), "*/4 * * * * *", Duration.ofMinutes(1), 1, c -> Thread.sleep(1500));
    }

    @Bean
    BackfillStep blockingBackfill() {
        return new BlockingBackfill();
    }
}
