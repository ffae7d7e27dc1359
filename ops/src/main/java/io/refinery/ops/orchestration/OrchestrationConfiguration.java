package io.refinery.ops.orchestration;

import io.refinery.forecasting.ForecastRuns;
import io.refinery.forecasting.ForecastingProperties;
import io.refinery.forecasting.LeadTimeAnomalies;
import io.refinery.ingestion.Ingestion;
import io.refinery.warehouse.jobs.AssetVersions;
import io.refinery.warehouse.jobs.JobRunStore;
import io.refinery.warehouse.lease.Leases;
import org.springframework.beans.factory.ObjectProvider;
import io.refinery.ops.quality.QualityGates;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.ArrayList;
import java.util.List;

/**
 * The job graph: every {@link JobStep} bean, plus the built-in steps whose modules are present
 * (forecast and lead-time flags when forecasting is, the replay backfill when ingestion is).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OrchestrationProperties.class)
@ConditionalOnProperty(name = "refinery.orchestration.enabled", havingValue = "true", matchIfMissing = true)
public class OrchestrationConfiguration {

    @Bean
    Orchestrator orchestrator(List<JobStep> steps, ObjectProvider<ForecastRuns> forecastRuns,
                              ObjectProvider<ForecastingProperties> forecasting,
                              ObjectProvider<LeadTimeAnomalies> leadTimes, ObjectProvider<Ingestion> ingestion,
                              ObjectProvider<QualityGates> qualityGates,
                              Leases leases, JobRunStore history, AssetVersions assets,
                              OrchestrationProperties properties) {
        List<JobStep> all = new ArrayList<>(steps);
        QualityGates gates = qualityGates.getIfAvailable();
        if (gates != null) {
            all.add(new QualityChecksJob(gates));
        }
        OrchestrationProperties.Forecast forecast = properties.forecast();
        if (gates == null && ("job:" + QualityChecksJob.NAME).equals(forecast.upstream())) {
            // without the quality module the forecast follows the served demand itself
            forecast = new OrchestrationProperties.Forecast(forecast.enabled(), AssetVersions.SERVED_DEMAND,
                    forecast.schedule(), forecast.quietPeriod(), forecast.timeout());
        }
        if (forecast.enabled()) {
            ForecastRuns runs = forecastRuns.getIfAvailable();
            ForecastingProperties settings = forecasting.getIfAvailable();
            if (runs != null && settings != null) {
                all.add(new ForecastJob(runs, settings, forecast));
            }
            LeadTimeAnomalies anomalies = leadTimes.getIfAvailable();
            if (anomalies != null) {
                all.add(new LeadTimeFlagsJob(anomalies));
            }
        }
        Ingestion facade = ingestion.getIfAvailable();
        if (facade != null && all.stream().noneMatch(s -> s instanceof BackfillStep)) {
            all.add(new ReplayBackfill(facade));
        }
        return new Orchestrator(all, leases, history, assets, properties);
    }
}
