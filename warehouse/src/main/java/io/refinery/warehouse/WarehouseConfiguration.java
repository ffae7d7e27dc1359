package io.refinery.warehouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ClientConfigProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jooq.impl.DefaultConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.refinery.warehouse.embedded.EmbeddedClickHouse;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.BackslashEscaping;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.net.URI;

/**
 * The warehouse module's one configuration: resolves the endpoint (embedded chDB or a server),
 * applies migrations, and exposes JDBC, jOOQ and client-v2 access. Other modules import this class.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WarehouseProperties.class)
@ComponentScan
public class WarehouseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WarehouseConfiguration.class);
    private static final String HIKARI_ALIVE_BYPASS = "com.zaxxer.hikari.aliveBypassWindowMs";

    @Bean
    WarehouseEndpoint warehouseEndpoint(WarehouseProperties properties) {
        WarehouseEndpoint endpoint = resolve(properties);
        if (properties.embeddedMode() && !properties.cluster().isBlank()) {
            throw new IllegalStateException("refinery.warehouse.cluster needs a ClickHouse server"
                    + " (refinery.warehouse.url); the embedded engine is a single node");
        }
        new SchemaMigrator(endpoint, properties.cluster()).migrate();
        log.info("Warehouse ready: {}", endpoint);
        return endpoint;
    }

    static WarehouseEndpoint resolve(WarehouseProperties properties) {
        if (properties.embeddedMode()) {
            var embedded = EmbeddedClickHouse.start(new EmbeddedClickHouse.Options(properties.dataDir(),
                    properties.embedded().port(), properties.embedded().poolSize(), properties.embedded().library()));
            return new WarehouseEndpoint(embedded.httpUrl(), embedded.user(), embedded.password(),
                    properties.database(), true);
        }
        String url = properties.url().strip();
        if (url.startsWith("jdbc:clickhouse:")) {
            URI uri = URI.create(url.substring("jdbc:clickhouse:".length()));
            url = uri.getScheme() + "://" + uri.getAuthority();
        } else if (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return new WarehouseEndpoint(url, properties.user(), properties.password(), properties.database(), false);
    }

    @Bean(destroyMethod = "close")
    HikariDataSource warehouseDataSource(WarehouseEndpoint endpoint, WarehouseProperties properties) {
        if (endpoint.embedded() && System.getProperty(HIKARI_ALIVE_BYPASS) == null) {
            // The embedded endpoint lives in this process on loopback. Hikari pings a connection (a whole
            // HTTP round trip through the driver) at checkout when it was idle > 500 ms, which doubled the
            // cost of every occasional read; within 10 s of its last use a connection is taken as alive.
            System.setProperty(HIKARI_ALIVE_BYPASS, "10000");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("warehouse");
        config.setJdbcUrl(endpoint.jdbcUrl());
        config.setUsername(endpoint.user());
        config.setPassword(endpoint.password());
        config.setMaximumPoolSize(properties.maxPoolSize());
        config.setMinimumIdle(1);
        // The guardrails travel with every request as settings (the embedded endpoint applies and
        // resets them per request, a server per query), so no connection or session can skip them.
        properties.querySettings().forEach((name, value) ->
                config.addDataSourceProperty(ClientConfigProperties.serverSetting(name), value));
        return new HikariDataSource(config);
    }

    @Bean
    QueryMetrics warehouseQueryMetrics(ObjectProvider<MeterRegistry> meterRegistry, WarehouseProperties properties) {
        return new QueryMetrics(meterRegistry.getIfAvailable(SimpleMeterRegistry::new), properties);
    }

    @Bean
    DSLContext warehouseDsl(DataSource warehouseDataSource, QueryMetrics queryMetrics) {
        // Names are rendered as written: ClickHouse identifiers are case-sensitive and ours are lower case.
        // Inlined string literals escape backslashes, which ClickHouse reads as escapes (jOOQ's default does not).
        Settings settings = new Settings().withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                .withBackslashEscaping(BackslashEscaping.ON);
        var configuration = new DefaultConfiguration().set(warehouseDataSource).set(SQLDialect.CLICKHOUSE)
                .set(settings).set(queryMetrics.listener());
        return DSL.using(configuration);
    }

    @Bean(destroyMethod = "close")
    Client warehouseClient(WarehouseEndpoint endpoint, WarehouseProperties properties) {
        Client.Builder builder = new Client.Builder()
                .addEndpoint(endpoint.httpUrl())
                .setUsername(endpoint.user())
                .setPassword(endpoint.password())
                .setDefaultDatabase(endpoint.database())
                .compressServerResponse(!endpoint.embedded());
        properties.querySettings().forEach(builder::serverSetting);
        return builder.build();
    }
}
