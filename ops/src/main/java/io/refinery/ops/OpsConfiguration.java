package io.refinery.ops;

import io.refinery.ops.feed.DemoProperties;
import io.refinery.ops.lineage.OpenLineageConfiguration;
import io.refinery.ops.orchestration.OrchestrationConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The ops module's one configuration: the demo feed, OpenLineage emission and the job graph (orchestration). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DemoProperties.class)
@ComponentScan(basePackages = "io.refinery.ops.feed")
@Import({OpenLineageConfiguration.class, OrchestrationConfiguration.class})
public class OpsConfiguration {
}
