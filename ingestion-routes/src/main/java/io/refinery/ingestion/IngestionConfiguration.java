package io.refinery.ingestion;

import io.refinery.warehouse.WarehouseConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/**
 * The ingestion module's one configuration: the record path ({@link Ingestion}), the contracts, the
 * route kinds and the route admin ({@link io.refinery.ingestion.admin.RouteAdmin}). It needs a
 * CamelContext (camel-spring-boot provides one in a Spring Boot application).
 */
@Configuration(proxyBeanMethods = false)
@Import(WarehouseConfiguration.class)
@EnableConfigurationProperties(IngestionProperties.class)
@ComponentScan
@PropertySource("classpath:refinery-ingestion-defaults.properties")
public class IngestionConfiguration {
}
