package io.refinery.ops;

import io.refinery.ops.feed.DemoProperties;
import io.refinery.ops.observability.ObservabilityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The ops module's one configuration: the demo feed, observability (metrics, alerts) and, as they land, jobs and quality gates. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DemoProperties.class, ObservabilityProperties.class})
@ComponentScan(basePackages = {"io.refinery.ops.feed", "io.refinery.ops.observability"})
@EnableScheduling
public class OpsConfiguration {
}
