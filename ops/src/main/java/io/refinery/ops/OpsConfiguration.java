package io.refinery.ops;

import io.refinery.ops.feed.DemoProperties;
import io.refinery.ops.lineage.OpenLineageConfiguration;
import io.refinery.ops.quality.QualityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The ops module's one configuration: the demo feed, quality gates, OpenLineage emission (and, as they land, jobs). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DemoProperties.class, QualityProperties.class})
@ComponentScan(basePackages = {"io.refinery.ops.feed", "io.refinery.ops.quality"})
@Import(OpenLineageConfiguration.class)
public class OpsConfiguration {
}
