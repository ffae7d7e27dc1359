package io.refinery.ops.orchestration;

import java.time.Instant;

/** Why a job should run once: a cron fire, changed upstream versions, a request, a backfill chunk. */
record Occasion(JobStep step, String scope, String lane, String trigger, String triggerKey, Instant from, Instant to) {

    static final String ONLINE = "online";
    static final String BACKFILL = "backfill";

    String leaseKey() {
        return "job:" + step.name() + ":" + scope;
    }

    /** Pending occasions of one job and scope coalesce by trigger kind: the newest of a kind wins. */
    String slot() {
        return step.name() + "|" + scope + "|" + trigger + (trigger.equals("manual") ? "|" + triggerKey : "");
    }
}
