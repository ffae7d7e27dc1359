package io.refinery.warehouse;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteType;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Warehouse query latency and the guardrails' errors. Every jOOQ statement and client-v2 insert is
 * timed as {@code refinery.warehouse.query}, tagged by operation (the repository method that ran
 * it, e.g. {@code IngestionLedger.counters}: a bounded set, unlike SQL text), kind
 * (read/write/ddl/insert) and outcome (ok/error/limit). A query the engine stopped at
 * {@code max_memory_usage} or {@code max_execution_time} becomes a {@link QueryLimitExceededException}
 * that names the limit and the property that sets it.
 */
public final class QueryMetrics {

    static final String TIMER = "refinery.warehouse.query";
    /** ClickHouse error codes of the resource limits: MEMORY_LIMIT_EXCEEDED, TIMEOUT_EXCEEDED, TOO_SLOW. */
    private static final Set<Integer> LIMIT_CODES = Set.of(241, 159, 160);
    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");
    private static final String STARTED = QueryMetrics.class.getName() + ".started";
    private static final String OPERATION = QueryMetrics.class.getName() + ".operation";
    private static final StackWalker STACK = StackWalker.getInstance();

    private final MeterRegistry registry;
    private final WarehouseProperties properties;

    QueryMetrics(MeterRegistry registry, WarehouseProperties properties) {
        this.registry = registry;
        this.properties = properties;
    }

    ExecuteListener listener() {
        return new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                ctx.data(STARTED, System.nanoTime());
                ctx.data(OPERATION, caller());
            }

            @Override
            public void end(ExecuteContext ctx) {
                Object started = ctx.data(STARTED);
                if (started instanceof Long t0) {
                    String outcome = ctx.exception() == null ? "ok"
                            : ctx.exception() instanceof QueryLimitExceededException ? "limit" : "error";
                    record((String) ctx.data(OPERATION), kind(ctx.type()), outcome, System.nanoTime() - t0);
                }
            }

            @Override
            public void exception(ExecuteContext ctx) {
                Throwable failure = ctx.sqlException() != null ? ctx.sqlException() : ctx.exception();
                limitExceeded(failure).ifPresent(ctx::exception);
            }
        };
    }

    /** Times a client-v2 call of {@code operation} (jOOQ statements are timed by the listener). */
    <T> T time(String operation, String kind, Supplier<T> call) {
        long t0 = System.nanoTime();
        String outcome = "error";
        try {
            T result = call.get();
            outcome = "ok";
            return result;
        } catch (QueryLimitExceededException e) {
            outcome = "limit";
            throw e;
        } finally {
            record(operation, kind, outcome, System.nanoTime() - t0);
        }
    }

    /** The guardrail error behind {@code failure}, if a resource limit stopped the query. */
    Optional<QueryLimitExceededException> limitExceeded(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof QueryLimitExceededException already) {
                return Optional.of(already);
            }
            String message = t.getMessage();
            Matcher m = message == null ? null : CODE.matcher(message);
            if (m != null && m.find() && LIMIT_CODES.contains(Integer.parseInt(m.group(1)))) {
                int code = Integer.parseInt(m.group(1));
                String limit = code == 241
                        ? "max_memory_usage = " + properties.maxQueryMemory() + " (refinery.warehouse.max-query-memory)"
                        : "max_execution_time = " + properties.maxQueryTime() + " (refinery.warehouse.max-query-time)";
                String engine = message.lines().findFirst().orElse(message);
                return Optional.of(new QueryLimitExceededException(
                        "the warehouse stopped the query at its resource limit " + limit + "; narrow the query or raise "
                                + "the limit. Engine said: " + engine, code, failure));
            }
        }
        return Optional.empty();
    }

    private void record(String operation, String kind, String outcome, long nanos) {
        Timer.builder(TIMER)
                .description("warehouse statements by operation (repository method), kind and outcome")
                .tag("operation", operation == null ? "unknown" : operation)
                .tag("kind", kind)
                .tag("outcome", outcome)
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String kind(ExecuteType type) {
        return switch (type) {
            case READ -> "read";
            case WRITE, BATCH -> "write";
            case DDL -> "ddl";
            default -> "other";
        };
    }

    /** The first Refinery frame outside this class and the inserter: "Class.method", lambdas named after their method. */
    static String caller() {
        return STACK.walk(frames -> frames
                .filter(f -> f.getClassName().startsWith("io.refinery.")
                        && !f.getClassName().startsWith(QueryMetrics.class.getName())
                        && !f.getClassName().startsWith(BulkInserter.class.getName()))
                .findFirst()
                .map(f -> {
                    String cls = f.getClassName();
                    cls = cls.substring(cls.lastIndexOf('.') + 1);
                    int nested = cls.indexOf('$');
                    if (nested > 0) {
                        cls = cls.substring(0, nested);
                    }
                    String method = f.getMethodName();
                    if (method.startsWith("lambda$")) {
                        int end = method.indexOf('$', 7);
                        method = end > 7 ? method.substring(7, end) : method.substring(7);
                    }
                    return cls + "." + method;
                })
                .orElse("unknown"));
    }
}
