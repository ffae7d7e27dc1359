package io.refinery.ops.quality;

import io.refinery.warehouse.quality.QualityProbes;
import io.refinery.warehouse.quality.QualityResultRow;
import io.refinery.warehouse.quality.QualityResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;

/**
 * The quality gates: runs the declared checks of every table (or one), stores each result with
 * its spec version, and answers which blocking checks fail. Safe to call from several threads and
 * repeatedly: runs take turns (one at a time per process), each stores its own results under its
 * own run id. Blocking calls (JDBC).
 */
@Service
public class QualityGates {

    private static final Logger log = LoggerFactory.getLogger(QualityGates.class);
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .withZone(ZoneOffset.UTC);

    /** Counts by status and the blocking checks that fail, over the newest result of every check. */
    public record Summary(Map<CheckStatus, Long> counts, int checks, Instant lastCheckedAt,
                          List<CheckResult> failingBlocking) {
    }

    /** A page of stored results, newest first. */
    public record HistoryPage(List<CheckResult> items, int page, int size, long total) {
    }

    private final List<TableSpec> specs;
    private final QualityResults results;
    private final CheckRunner runner;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();

    QualityGates(QualityProperties properties, QualityProbes probes, QualityResults results,
                 ObjectProvider<Clock> clock) {
        this.specs = QualitySpecs.load(properties.specs());
        this.results = results;
        this.clock = clock.getIfUnique(Clock::systemUTC);
        this.runner = new CheckRunner(probes, this.clock);
        log.info("Quality gates: {} checks on {} tables", specs.stream().mapToInt(s -> s.checks().size()).sum(),
                specs.stream().map(TableSpec::table).toList());
    }

    /** The specs in force (the newest version of each table's). */
    public List<TableSpec> specs() {
        return specs;
    }

    /** Runs every check of every table; returns this run's results. */
    public List<CheckResult> runAll() {
        return run((table, check) -> true);
    }

    /** Runs every check of one table. */
    public List<CheckResult> run(String table) {
        spec(table);
        return run((t, check) -> t.table().equals(table));
    }

    private List<CheckResult> run(BiPredicate<TableSpec, CheckSpec> which) {
        running.lock();
        try {
            String runId = "q-" + RUN_ID_TIME.format(clock.instant()) + "-" + UUID.randomUUID().toString().substring(0, 8);
            List<CheckResult> done = new ArrayList<>();
            for (TableSpec table : specs) {
                for (CheckSpec check : table.checks()) {
                    if (which.test(table, check)) {
                        done.add(execute(runId, table, check));
                    }
                }
            }
            results.save(done.stream().map(QualityGates::row).toList());
            long failing = done.stream().filter(CheckResult::failingBlocking).count();
            log.info("Quality run {}: {} checks, {} failing blocking", runId, done.size(), failing);
            return done;
        } finally {
            running.unlock();
        }
    }

    private CheckResult execute(String runId, TableSpec table, CheckSpec check) {
        long started = System.nanoTime();
        CheckStatus status;
        CheckRunner.Evaluation evaluation;
        try {
            evaluation = runner.evaluate(table, check);
            status = evaluation.passed() ? CheckStatus.PASS
                    : check.severity() == Severity.BLOCKING ? CheckStatus.FAIL : CheckStatus.WARN;
        } catch (RuntimeException e) {
            // A check that cannot be measured (missing column, warehouse error) is a result too, not a crash
            // of the whole run: the other checks still run and the error is visible next to them.
            log.warn("Quality check {}.{} could not run", table.table(), check.name(), e);
            evaluation = new CheckRunner.Evaluation(false, "nothing (the check could not run)", null, "a measurement",
                    rootMessage(e));
            status = CheckStatus.ERROR;
        }
        return new CheckResult(runId, table.table(), check.name(), check.kind().id(), check.column(), table.version(),
                check.severity().id(), status, evaluation.observed(), evaluation.observedValue(), evaluation.expected(),
                evaluation.message(), clock.instant(), (System.nanoTime() - started) / 1_000_000);
    }

    /** The newest stored result of every check in force (checks never run yet are absent). */
    public List<CheckResult> latest() {
        Set<String> inForce = new HashSet<>();
        specs.forEach(t -> t.checks().forEach(c -> inForce.add(t.table() + "." + c.name() + "@" + t.version())));
        return results.latest().stream().map(QualityGates::result)
                .filter(r -> inForce.contains(r.table() + "." + r.check() + "@" + r.specVersion())).toList();
    }

    /** Blocking checks whose newest result is FAIL or ERROR. */
    public List<CheckResult> failingBlocking() {
        return latest().stream().filter(CheckResult::failingBlocking).toList();
    }

    public Summary summary() {
        List<CheckResult> latest = latest();
        Map<CheckStatus, Long> counts = new EnumMap<>(CheckStatus.class);
        for (CheckStatus s : CheckStatus.values()) {
            counts.put(s, latest.stream().filter(r -> r.status() == s).count());
        }
        Instant last = latest.stream().map(CheckResult::checkedAt).max(Instant::compareTo).orElse(null);
        return new Summary(counts, latest.size(), last, latest.stream().filter(CheckResult::failingBlocking).toList());
    }

    public HistoryPage history(String table, String check, int page, int size) {
        QualityResults.Page stored = results.history(table, check, size, page * size);
        return new HistoryPage(stored.items().stream().map(QualityGates::result).toList(), page, size, stored.total());
    }

    /**
     * Why the downstream job {@code gate} (e.g. "forecast") must not run, or empty. The blocking
     * checks of the tables feeding it are measured now (and stored), not read from the last run:
     * data that arrived since is judged before the job reads it, and data fixed since lets the job
     * through at once instead of at the next scheduled run.
     */
    public Optional<String> blockedBecause(String gate) {
        List<CheckResult> now = run((t, c) -> t.gates().contains(gate) && c.severity() == Severity.BLOCKING);
        List<String> reasons = now.stream().filter(CheckResult::failingBlocking).map(CheckResult::reason).toList();
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    TableSpec spec(String table) {
        return specs.stream().filter(s -> s.table().equals(table)).findFirst()
                .orElseThrow(() -> new UnknownTableException(table, specs.stream().map(TableSpec::table).toList()));
    }

    /** No quality spec for the table asked for. */
    public static final class UnknownTableException extends IllegalArgumentException {
        public UnknownTableException(String table, List<String> known) {
            super("no quality checks for table '" + table + "'; tables with checks: " + known);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        return message.length() > 500 ? message.substring(0, 500) + "…" : message;
    }

    private static QualityResultRow row(CheckResult r) {
        return new QualityResultRow(r.runId(), r.table(), r.check(), r.kind(), r.column(), r.specVersion(), r.severity(),
                r.status().name(), r.observed(), r.observedValue(), r.expected(), r.message(), r.checkedAt(),
                r.durationMillis());
    }

    private static CheckResult result(QualityResultRow r) {
        return new CheckResult(r.runId(), r.table(), r.check(), r.kind(), r.column(), r.specVersion(), r.severity(),
                CheckStatus.valueOf(r.status()), r.observed(), r.observedValue(), r.expected(), r.message(),
                r.checkedAt(), r.durationMillis());
    }
}
