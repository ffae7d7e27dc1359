package io.refinery.api.stream;

/** One event of the live stream; ids increase by one per event, so a client can resume after its last. */
public record LiveEvent(long id, String type, Object data) {

    public static final String PIPELINE = "pipeline";
    public static final String ANOMALIES = "anomalies";
    public static final String RUN = "run";
    public static final String DEMAND = "demand";
    /** Sent to a resuming client whose last event is no longer kept: reload instead of resuming. */
    public static final String RESET = "reset";
}
