package io.refinery.warehouse.jobs;

import io.refinery.warehouse.BulkInserter;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.jooq.impl.DSL.condition;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.noCondition;

/** The history of orchestrated job runs ({@code job_runs}), newest version of each attempt wins. */
@Component
public class JobRunStore {

    private static final String COLUMNS = "run_id, job, scope, lane, trigger, trigger_key, attempt, replica, lease_epoch,"
            + " status, progress, toUnixTimestamp64Milli(started_at), toUnixTimestamp64Milli(finished_at), duration_ms,"
            + " error, detail";

    private final DSLContext dsl;
    private final BulkInserter inserter;

    JobRunStore(DSLContext warehouseDsl, BulkInserter inserter) {
        this.dsl = warehouseDsl;
        this.inserter = inserter;
    }

    public void save(JobRunRow run) {
        long version = System.currentTimeMillis() * 1_000_000L + System.nanoTime() % 1_000_000L;
        inserter.insertRowBinary("job_runs", List.of("run_id", "job", "scope", "lane", "trigger", "trigger_key", "attempt",
                "replica", "lease_epoch", "status", "progress", "started_at", "finished_at", "duration_ms", "error", "detail",
                "version"), w -> {
            w.string(run.runId()).string(run.job()).string(run.scope()).string(run.lane()).string(run.trigger())
                    .string(run.triggerKey());
            w.uint32(run.attempt());
            w.string(run.replica()).uint64(run.leaseEpoch()).string(run.status()).float64(run.progress())
                    .dateTime64Millis(run.startedAt());
            w.nullable(run.finishedAt() == null);
            if (run.finishedAt() != null) {
                w.dateTime64Millis(run.finishedAt());
            }
            w.uint64(run.durationMillis()).string(run.error()).string(run.detail()).uint64(version);
        });
    }

    /** Attempts matching {@code filter}, newest start first. */
    public List<JobRunRow> find(JobRunFilter filter, int offset, int limit) {
        return dsl.fetch("SELECT " + COLUMNS + " FROM job_runs FINAL WHERE {0} ORDER BY started_at DESC, run_id"
                        + " LIMIT {1} OFFSET {2}", where(filter), inline(limit), inline(offset))
                .map(JobRunStore::row);
    }

    public long count(JobRunFilter filter) {
        return dsl.fetchOne("SELECT count() FROM job_runs FINAL WHERE {0}", where(filter)).get(0, Long.class);
    }

    /** The newest attempt of a job and scope for an occasion (trigger key), if any. */
    public Optional<JobRunRow> latestFor(String job, String scope, String triggerKey) {
        return dsl.fetch("SELECT " + COLUMNS + " FROM job_runs FINAL WHERE job = {0} AND scope = {1} AND trigger_key = {2}"
                        + " ORDER BY started_at DESC, attempt DESC LIMIT 1", inline(job), inline(scope), inline(triggerKey))
                .stream().findFirst().map(JobRunStore::row);
    }

    /** The newest attempt of a job and scope started by {@code trigger}, if any. */
    public Optional<JobRunRow> latestByTrigger(String job, String scope, String trigger) {
        return dsl.fetch("SELECT " + COLUMNS + " FROM job_runs FINAL WHERE job = {0} AND scope = {1} AND trigger = {2}"
                        + " ORDER BY started_at DESC LIMIT 1", inline(job), inline(scope), inline(trigger))
                .stream().findFirst().map(JobRunStore::row);
    }

    /** The newest attempt of each job and scope. */
    public List<JobRunRow> latestPerJob() {
        return dsl.fetch("SELECT " + COLUMNS + " FROM job_runs FINAL WHERE (job, scope, started_at) IN"
                + " (SELECT job, scope, max(started_at) FROM job_runs GROUP BY job, scope) ORDER BY job, scope")
                .map(JobRunStore::row);
    }

    private static Condition where(JobRunFilter f) {
        List<Condition> conditions = new ArrayList<>();
        if (present(f.job())) {
            conditions.add(condition("job = {0}", inline(f.job())));
        }
        if (present(f.scope())) {
            conditions.add(condition("scope = {0}", inline(f.scope())));
        }
        if (present(f.status())) {
            conditions.add(condition("status = {0}", inline(f.status())));
        }
        if (present(f.trigger())) {
            conditions.add(condition("trigger = {0}", inline(f.trigger())));
        }
        if (present(f.lane())) {
            conditions.add(condition("lane = {0}", inline(f.lane())));
        }
        if (f.from() != null) {
            conditions.add(condition("started_at >= fromUnixTimestamp64Milli({0}, 'UTC')", inline(f.from().toEpochMilli())));
        }
        if (f.to() != null) {
            conditions.add(condition("started_at < fromUnixTimestamp64Milli({0}, 'UTC')", inline(f.to().toEpochMilli())));
        }
        return conditions.stream().reduce(noCondition(), Condition::and);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static JobRunRow row(Record r) {
        Long finished = r.get(12, Long.class);
        return new JobRunRow(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class), r.get(3, String.class),
                r.get(4, String.class), r.get(5, String.class), r.get(6, Integer.class), r.get(7, String.class),
                r.get(8, Long.class), r.get(9, String.class), r.get(10, Double.class),
                Instant.ofEpochMilli(r.get(11, Long.class)), finished == null ? null : Instant.ofEpochMilli(finished),
                r.get(13, Long.class), r.get(14, String.class), r.get(15, String.class));
    }
}
