package io.refinery.ops;

import io.refinery.ops.feed.DemoProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** The ops module's one configuration: the demo feed (and, as they land, jobs and quality gates). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DemoProperties.class)
@ComponentScan(basePackages = "io.refinery.ops.feed")
public class OpsConfiguration {
}
