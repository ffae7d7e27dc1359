package io.refinery.ingestion.crash;

import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionTestApplication;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import io.refinery.warehouse.ingest.IngestionLedger;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/**
 * A separate ingestion JVM for the crash-safety test: runs the routes given as system properties on
 * its own warehouse directory and prints a PROGRESS line (reconciliation and cleaned counts) every
 * 200 ms, until it is killed.
 */
public final class CrashTestNode {

    private CrashTestNode() {
    }

    public static void main(String[] args) throws Exception {
        List<String> properties = new ArrayList<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("refinery.")) {
                properties.add(k + "=" + v);
            }
        });
        properties.add("logging.level.root=WARN");
        properties.add("logging.level.io.refinery=INFO");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(IngestionTestApplication.class)
                .web(WebApplicationType.NONE).properties(properties.toArray(String[]::new)).run(args);
        Ingestion ingestion = context.getBean(Ingestion.class);
        IngestionLedger ledger = context.getBean(IngestionLedger.class);
        System.out.println("READY");
        while (true) {
            StringBuilder line = new StringBuilder("PROGRESS");
            for (Reconciliation r : ingestion.reconcile()) {
                line.append(' ').append(r.routeId()).append(".landed=").append(r.landedRecords())
                        .append(' ').append(r.routeId()).append(".balanced=").append(r.balanced())
                        .append(' ').append(r.routeId()).append(".unprocessed=").append(r.unprocessedBatches());
            }
            line.append(" sales.cleaned=").append(ledger.cleanedCount("sales-order-lines"));
            line.append(" iot.cleaned=").append(ledger.cleanedCount("iot-readings"));
            System.out.println(line);
            System.out.flush();
            Thread.sleep(200);
        }
    }
}
