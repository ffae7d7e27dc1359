package io.refinery.warehouse;

import io.refinery.warehouse.test.WarehouseTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.clickhouse.ClickHouseContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The same contract suite against a real ClickHouse server in a container. Skipped, and reported
 * as skipped, where no Docker engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
@WarehouseTest
class ServerWarehouseContractTest extends WarehouseContractSuite {

    @Container
    static final ClickHouseContainer CLICKHOUSE = new ClickHouseContainer("clickhouse/clickhouse-server:25.8");

    @DynamicPropertySource
    static void warehouse(DynamicPropertyRegistry registry) {
        registry.add("refinery.warehouse.url", () -> "http://" + CLICKHOUSE.getHost() + ":" + CLICKHOUSE.getMappedPort(8123));
        registry.add("refinery.warehouse.user", CLICKHOUSE::getUsername);
        registry.add("refinery.warehouse.password", CLICKHOUSE::getPassword);
    }
}
