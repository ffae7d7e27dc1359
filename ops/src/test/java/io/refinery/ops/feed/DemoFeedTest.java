package io.refinery.ops.feed;

import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionConfiguration;
import io.refinery.ops.OpsConfiguration;
import io.refinery.warehouse.WarehouseConfiguration;
import io.refinery.warehouse.test.TestWarehouseInitializer;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo feeds the real ingestion path: raw, contracts, cleaned, served; a restart lands nothing twice. */
@SpringBootTest(classes = DemoFeedTest.App.class, properties = {"refinery.demo.enabled=true", "refinery.demo.auto-start=false",
        "refinery.demo.history-days=42", "refinery.demo.iot-history-days=1", "refinery.demo.live-interval=1h",
        "refinery.quality.interval=0s"})
@ContextConfiguration(initializers = TestWarehouseInitializer.class)
class DemoFeedTest {

    /** The modules the demo needs, with Spring Boot's auto-configuration (Camel among it). */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({WarehouseConfiguration.class, IngestionConfiguration.class, OpsConfiguration.class})
    static class App {
    }

    @Autowired
    DemoFeed feed;
    @Autowired
    DSLContext dsl;
    @Autowired
    Ingestion ingestion;

    @Test
    void demoHistoryReachesServedDemandThroughTheIngestionPathAndARestartAddsNothing() {
        LocalDate to = LocalDate.of(2025, 6, 1);

        feed.loadHistory(to.minusDays(42), to);
        long rawRecords = count("SELECT count() FROM raw_records");
        long servedDays = count("SELECT count() FROM demand_daily FINAL WHERE quantity > 0");
        long cleanedLines = count("SELECT count() FROM sales_order_lines FINAL");
        feed.loadHistory(to.minusDays(42), to);

        assertThat(count("SELECT uniqExact(sku) FROM products FINAL")).isGreaterThanOrEqualTo(200);
        assertThat(count("SELECT uniqExact(location) FROM locations FINAL")).isGreaterThanOrEqualTo(5);
        assertThat(cleanedLines).isPositive();
        assertThat(servedDays).isPositive();
        assertThat(count("SELECT count() FROM lead_times FINAL WHERE first_received_at IS NOT NULL")).isPositive();
        assertThat(count("SELECT toInt64(sum(quantity)) FROM demand_daily FINAL"))
                .isEqualTo(count("SELECT toInt64(sum(quantity)) FROM sales_order_lines FINAL"));
        assertThat(count("SELECT count() FROM raw_records")).as("a restart re-lands nothing").isEqualTo(rawRecords);
        assertThat(count("SELECT count() FROM sales_order_lines FINAL")).isEqualTo(cleanedLines);
        assertThat(ingestion.reconcile()).isNotEmpty().allSatisfy(r -> assertThat(r.balanced()).as(r.toString()).isTrue());
    }

    private long count(String sql) {
        return dsl.fetchValue(sql) instanceof Number n ? n.longValue() : -1;
    }
}
