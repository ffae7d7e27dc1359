package io.refinery.forecasting;

import java.util.Optional;

/**
 * A condition a forecast run must meet before it starts, contributed by other modules (the quality
 * gates of ops, for one). Every RunGate bean is asked just before a run begins; a reason blocks
 * the run, which is then recorded as {@link RunStatus#BLOCKED} with that reason as its message.
 */
public interface RunGate {

    /** Why {@code request} must not run now, or empty to let it run. */
    Optional<String> blockedBecause(ForecastRequest request);
}
