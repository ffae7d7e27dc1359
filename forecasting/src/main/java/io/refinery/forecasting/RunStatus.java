package io.refinery.forecasting;

/** Where a forecast run is in its life. */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED,
    /** A {@link RunGate} refused the run before it began (e.g. a blocking quality check failed); the message says why. */
    BLOCKED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == BLOCKED;
    }
}
