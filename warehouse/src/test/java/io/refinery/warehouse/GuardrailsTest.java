package io.refinery.warehouse;

import com.clickhouse.client.api.Client;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.refinery.warehouse.observability.PipelineStats;
import io.refinery.warehouse.raw.RawBatch;
import io.refinery.warehouse.raw.RawLanding;
import io.refinery.warehouse.raw.RawRecord;
import io.refinery.warehouse.test.TestWarehouseInitializer;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cost guardrails on the real engine (embedded: the loopback endpoint applies settings per request):
 * tiny per-query limits stop JDBC (jOOQ) and client-v2 queries with a clear error while ordinary
 * queries pass; raw retention becomes a TTL the engine reports; storage is reported per layer;
 * every statement is timed by operation.
 */
@SpringJUnitConfig(classes = {WarehouseConfiguration.class, GuardrailsTest.Metrics.class},
        initializers = TestWarehouseInitializer.class)
@TestPropertySource(properties = {"refinery.warehouse.max-query-memory=16MB", "refinery.warehouse.max-query-time=1s",
        "refinery.warehouse.raw-retention=30d"})
class GuardrailsTest {

    @Configuration(proxyBeanMethods = false)
    static class Metrics {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    DSLContext dsl;
    @Autowired
    Client client;
    @Autowired
    RawLanding landing;
    @Autowired
    RawRetention retention;
    @Autowired
    PipelineStats stats;
    @Autowired
    MeterRegistry registry;

    @Test
    void aQueryOverTheMemoryLimitFailsWithAClearErrorAndOrdinaryQueriesPass() {
        assertThat(dsl.fetchValue("SELECT toInt64(sum(number)) FROM numbers(1000)", Long.class)).isEqualTo(499_500L);

        assertThatThrownBy(() -> dsl.fetch("SELECT groupArray(toString(number)) FROM numbers(20000000)"))
                .isInstanceOf(QueryLimitExceededException.class)
                .hasMessageContaining("max_memory_usage")
                .hasMessageContaining("refinery.warehouse.max-query-memory")
                .satisfies(e -> assertThat(((QueryLimitExceededException) e).engineCode()).isEqualTo(241));

        assertThat(registry.find("refinery.warehouse.query").tag("outcome", "limit")
                .tag("operation", "GuardrailsTest.aQueryOverTheMemoryLimitFailsWithAClearErrorAndOrdinaryQueriesPass")
                .timer()).as("the stopped query is timed under its operation").isNotNull();
    }

    @Test
    void aQueryOverTheTimeLimitFailsWithAClearError() {
        assertThatThrownBy(() -> dsl.fetch("SELECT sum(sipHash64(number)) FROM numbers(100000000000)"))
                .isInstanceOf(QueryLimitExceededException.class)
                .hasMessageContaining("max_execution_time")
                .hasMessageContaining("refinery.warehouse.max-query-time");
    }

    @Test
    void clientV2QueriesCarryTheSameLimits() {
        assertThatThrownBy(() -> client.queryAll("SELECT groupArray(toString(number)) FROM numbers(20000000)"))
                .rootCause().hasMessageContaining("Code: 241").hasMessageContaining("MEMORY_LIMIT_EXCEEDED");
        assertThat(client.queryAll("SELECT 1 AS one").getFirst().getInteger("one")).isEqualTo(1);
    }

    @Test
    void rawRetentionIsATtlTheEngineReportsAndUnsettingItKeepsRawForever() {
        assertThat(stats.createTableQuery("raw_records")).get().asString()
                .contains("TTL toDateTime(received_at) + toIntervalSecond(2592000)");

        retention.apply(null);
        assertThat(stats.createTableQuery("raw_records")).get().asString().doesNotContain(" TTL ");

        retention.apply(Duration.ofDays(30));
        assertThat(stats.createTableQuery("raw_records")).get().asString().contains(" TTL ");
    }

    @Test
    void storageIsReportedPerLayerAndSourcesByTheirLastLanding() {
        String route = "guardrails-" + UUID.randomUUID();
        Instant received = Instant.now().minusSeconds(5);
        landing.land(new RawBatch(UUID.randomUUID(), "file", route, "products", "p.csv", received,
                List.of(new RawRecord("1", "{\"sku\":\"A\"}"), new RawRecord("2", "{\"sku\":\"B\"}"))));

        var layers = stats.storageByLayer();
        assertThat(layers).extracting(PipelineStats.LayerStorage::layer).containsExactlyElementsOf(PipelineStats.LAYERS);
        var raw = layers.stream().filter(l -> l.layer().equals("raw")).findFirst().orElseThrow();
        assertThat(raw.rows()).as("2 records + 1 manifest").isGreaterThanOrEqualTo(3);
        assertThat(raw.bytesOnDisk()).isPositive();
        assertThat(stats.storageByTable()).anySatisfy(t -> {
            assertThat(t.table()).isEqualTo("raw_records");
            assertThat(t.layer()).isEqualTo("raw");
        });
        assertThat(stats.sources()).anySatisfy(s -> {
            assertThat(s.routeId()).isEqualTo(route);
            assertThat(s.lastLandedAt()).isCloseTo(received, org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.SECONDS));
        });
        assertThat(registry.find("refinery.warehouse.query").tag("kind", "insert").timers())
                .as("client-v2 inserts are timed too").isNotEmpty()
                .allSatisfy(t -> assertThat(t.totalTime(TimeUnit.NANOSECONDS)).isPositive());
    }
}
