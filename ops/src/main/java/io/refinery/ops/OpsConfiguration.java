package io.refinery.ops;

import io.refinery.ops.feed.DemoProperties;
import io.refinery.ops.lineage.OpenLineageConfiguration;
import io.refinery.ops.observability.ObservabilityProperties;
import io.refinery.ops.quality.QualityProperties;
import io.refinery.ops.orchestration.OrchestrationConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The ops module's one configuration: the demo feed, the job graph (orchestration), quality gates, observability (metrics, alerts) and OpenLineage emission. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DemoProperties.class, QualityProperties.class, ObservabilityProperties.class})
@ComponentScan(basePackages = {"io.refinery.ops.feed", "io.refinery.ops.quality", "io.refinery.ops.observability"})
@Import({OpenLineageConfiguration.class, OrchestrationConfiguration.class})
@EnableScheduling
public class OpsConfiguration {
}
