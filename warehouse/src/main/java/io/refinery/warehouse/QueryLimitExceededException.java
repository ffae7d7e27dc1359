package io.refinery.warehouse;

/**
 * A query ran into a warehouse guardrail ({@code max_memory_usage} or {@code max_execution_time}):
 * the message names the limit and the property that sets it.
 */
public class QueryLimitExceededException extends WarehouseException {

    private final int engineCode;

    public QueryLimitExceededException(String message, int engineCode, Throwable cause) {
        super(message, cause);
        this.engineCode = engineCode;
    }

    /** ClickHouse's error code: 241 memory, 159 time, 160 estimated time. */
    public int engineCode() {
        return engineCode;
    }
}
