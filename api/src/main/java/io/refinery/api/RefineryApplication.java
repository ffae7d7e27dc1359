package io.refinery.api;

import io.refinery.dashboard.DashboardConfiguration;
import io.refinery.forecasting.ForecastingConfiguration;
import io.refinery.ingestion.IngestionConfiguration;
import io.refinery.ops.OpsConfiguration;
import io.refinery.warehouse.WarehouseConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** Refinery: assembles the modules, each through its one exported configuration. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import({WarehouseConfiguration.class, IngestionConfiguration.class, ForecastingConfiguration.class, OpsConfiguration.class,
        DashboardConfiguration.class})
public class RefineryApplication {

    public static void main(String[] args) {
        SpringApplication.run(RefineryApplication.class, args);
    }
}
