package io.refinery.ops;

import io.refinery.ops.feed.DemoProperties;
import io.refinery.ops.quality.QualityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** The ops module's one configuration: the demo feed and the quality gates (and, as they land, jobs). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DemoProperties.class, QualityProperties.class})
@ComponentScan(basePackages = {"io.refinery.ops.feed", "io.refinery.ops.quality"})
public class OpsConfiguration {
}
