package io.refinery.forecasting;

/** Where a forecast run is in its life. */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }
}
