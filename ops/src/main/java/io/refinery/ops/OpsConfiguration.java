package io.refinery.ops;

import io.refinery.ops.feed.DemoProperties;
import io.refinery.ops.lineage.OpenLineageConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The ops module's one configuration: the demo feed, OpenLineage emission (and, as they land, jobs and quality gates). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DemoProperties.class)
@ComponentScan(basePackages = "io.refinery.ops.feed")
@Import(OpenLineageConfiguration.class)
public class OpsConfiguration {
}
