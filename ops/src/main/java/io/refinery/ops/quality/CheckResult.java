package io.refinery.ops.quality;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** The outcome of one check in one run, as stored and served. */
public record CheckResult(String runId, String table, String check, String kind, String column, int specVersion,
                          String severity, CheckStatus status, String observed, Double observedValue, String expected,
                          String message, Instant checkedAt, long durationMillis) {

    @JsonProperty("blocking")
    public boolean blocking() {
        return Severity.BLOCKING.id().equals(severity);
    }

    /** A blocking check that failed or could not be measured: what halts downstream runs. */
    public boolean failingBlocking() {
        return blocking() && (status == CheckStatus.FAIL || status == CheckStatus.ERROR);
    }

    /** "quality check X on table Y failed: observed …, expected …" — the reason a halted run shows. */
    public String reason() {
        String verb = status == CheckStatus.ERROR ? "could not run" : "failed";
        return "quality check " + check + " on table " + table + " " + verb + ": observed " + observed + ", expected "
                + expected + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
