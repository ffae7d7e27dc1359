package io.refinery.ops.lineage;

import io.refinery.warehouse.WarehouseEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The emitter exists only with {@code refinery.openlineage.enabled=true} and at least one transport. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OpenLineageProperties.class)
public class OpenLineageConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "refinery.openlineage.enabled", havingValue = "true")
    OpenLineageEmitter openLineageEmitter(OpenLineageProperties properties, WarehouseEndpoint warehouse) {
        if (OpenLineageEmitter.transports(properties).isEmpty()) {
            throw new IllegalStateException("refinery.openlineage.enabled=true needs refinery.openlineage.url"
                    + " (HTTP, e.g. Marquez /api/v1/lineage) or refinery.openlineage.file");
        }
        return new OpenLineageEmitter(properties, warehouse);
    }
}
