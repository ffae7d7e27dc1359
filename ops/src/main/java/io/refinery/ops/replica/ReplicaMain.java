package io.refinery.ops.replica;

import io.refinery.ingestion.IngestionConfiguration;
import io.refinery.ingestion.admin.RouteAdmin;
import io.refinery.ops.orchestration.JobContext;
import io.refinery.ops.orchestration.JobStep;
import io.refinery.ops.orchestration.OrchestrationConfiguration;
import io.refinery.warehouse.WarehouseConfiguration;
import io.refinery.warehouse.jobs.AssetVersions;
import io.refinery.warehouse.lease.Leases;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.time.Duration;
import java.time.Instant;

/**
 * A headless replica for proving multi-replica coordination on one machine: the warehouse (server
 * mode, {@code REFINERY_WAREHOUSE_URL}), the ingestion routes and the orchestrator with one probe job,
 * no web server. Run two or more against one warehouse; each prints
 * {@code STATUS <epoch-ms> <holder> routes=<routes consumed here>} every 500 ms and
 * {@code EXEC-START}/{@code EXEC-END <job> <trigger key> <epoch-ms>} around each probe execution.
 *
 * <p>The probe job ({@code refinery.replica.probe-schedule}, default every 3 s) reads the raw layer's
 * batch count and then holds the job for {@code refinery.replica.probe-work} (simulated work, so that
 * overlapping runs would be visible).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({WarehouseConfiguration.class, IngestionConfiguration.class, OrchestrationConfiguration.class})
public class ReplicaMain {

    public static void main(String[] args) throws InterruptedException {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ReplicaMain.class)
                .web(WebApplicationType.NONE)
                .properties("refinery.demo.enabled=false", "spring.main.banner-mode=off")
                .run(args);
        RouteAdmin routes = context.getBean(RouteAdmin.class);
        String holder = context.getBean(Leases.class).holderId();
        System.out.println("READY " + holder);
        while (context.isActive()) {
            System.out.println("STATUS " + System.currentTimeMillis() + " " + holder + " routes=" + String.join(",", routes.runningHere()));
            System.out.flush();
            Thread.sleep(500);
        }
    }

    @Bean
    JobStep probe(AssetVersions assets, @Value("${refinery.replica.probe-schedule:*/3 * * * * *}") String schedule,
                  @Value("${refinery.replica.probe-work:1s}") Duration work) {
        return new JobStep() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public String description() {
                return "Reads the raw layer's batch count, then holds the job for a while (coordination proof)";
            }

            @Override
            public String schedule() {
                return schedule;
            }

            @Override
            public int maxAttempts() {
                return 1;
            }

            @Override
            public void run(JobContext context) throws Exception {
                System.out.println("EXEC-START probe " + context.triggerKey() + " " + Instant.now().toEpochMilli()
                        + " epoch=" + context.leaseEpoch());
                long batches = assets.version(AssetVersions.RAW_BATCHES);
                Thread.sleep(work);
                context.detail("raw batches: " + batches);
                System.out.println("EXEC-END probe " + context.triggerKey() + " " + Instant.now().toEpochMilli());
            }
        };
    }
}
