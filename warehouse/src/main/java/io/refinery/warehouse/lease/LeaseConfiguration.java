package io.refinery.warehouse.lease;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@link LeaseProperties}; picked up by the warehouse configuration's component scan. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LeaseProperties.class)
class LeaseConfiguration {
}
