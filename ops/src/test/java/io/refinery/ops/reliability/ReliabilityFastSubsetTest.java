package io.refinery.ops.reliability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast subset of the reliability suite that CI runs on every change (the full runs are
 * {@code ops/reliability/run kill9|outage|soak}): three kill -9s during ingestion of files, an ERP
 * table and an MQTT stream, and a short warehouse outage plus a broker restart, each ending with
 * every record in the warehouse exactly once.
 */
class ReliabilityFastSubsetTest {

    @Test
    void killedThreeTimesMidIngestNothingIsLostOrDoubled() throws Exception {
        KillNineScenario scenario = new KillNineScenario(Scenario.scratch("kill9-ci"), 3, 42L, 3, 4_000, 1_500, 1_500);
        try {
            Map<String, Long> result = scenario.run();
            assertThat(result.get("sales.cleaned")).isEqualTo(3 * 4_000 + 1_500);
        } finally {
            scenario.print("kill -9 × 3 (CI subset)");
        }
    }

    /**
     * The warehouse is killed for 8 s and the broker restarted for 2 s while all sources produce: the
     * file-drop route keeps the file it was reading in the inbox, the MQTT route holds its batch
     * unacknowledged and retries, and everything arrives exactly once afterwards.
     */
    @Test
    void aWarehouseOutageAndABrokerRestartPauseTheRoutesWhichThenCatchUp() throws Exception {
        OutageScenario scenario = new OutageScenario(Scenario.scratch("outage-ci"), Duration.ofSeconds(8),
                Duration.ofSeconds(2), 4, 2_000, 1_000, 1_500);
        try {
            Map<String, Long> result = scenario.run();
            assertThat(result.get("sales.cleaned")).isEqualTo(4 * 2_000 + 1_000);
        } finally {
            scenario.print("warehouse outage 8 s + broker restart (CI subset)");
        }
    }
}
