package io.refinery.forecasting;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The forecasting module's one configuration: forecast runs and lead-time anomaly flags. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ForecastingProperties.class)
@EnableScheduling
@ComponentScan
public class ForecastingConfiguration {
}
