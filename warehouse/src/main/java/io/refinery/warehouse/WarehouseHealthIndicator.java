package io.refinery.warehouse;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;

/** The {@code warehouse} health component: the engine answers and the schema is migrated. */
@Component("warehouse")
class WarehouseHealthIndicator extends AbstractHealthIndicator {

    private final JdbcTemplate jdbc;
    private final WarehouseEndpoint endpoint;

    WarehouseHealthIndicator(DataSource warehouseDataSource, WarehouseEndpoint endpoint) {
        super("warehouse health check failed");
        this.jdbc = new JdbcTemplate(warehouseDataSource);
        this.endpoint = endpoint;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        String version = jdbc.queryForObject("SELECT version()", String.class);
        Integer migrations = jdbc.queryForObject("SELECT toUInt32(count()) FROM schema_migrations", Integer.class);
        builder.up()
                .withDetail("engine", endpoint.embedded() ? "embedded chDB" : "ClickHouse server")
                .withDetail("version", version)
                .withDetail("database", endpoint.database())
                .withDetail("migrations", migrations);
    }
}
