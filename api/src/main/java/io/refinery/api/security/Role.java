package io.refinery.api.security;

/** What a user may do; each role includes the ones before it. */
public enum Role {
    /** Reads dashboards and data. */
    VIEWER,
    /** + runs forecasts, overrides, exports. */
    PLANNER,
    /** + routes, users, tokens, quarantine re-processing. */
    ADMIN
}
