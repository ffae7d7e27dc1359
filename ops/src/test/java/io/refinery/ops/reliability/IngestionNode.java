package io.refinery.ops.reliability;

import io.refinery.ingestion.Ingestion;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import io.refinery.warehouse.ingest.IngestionLedger;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/**
 * One ingestion process of the reliability suite: runs the routes given as {@code -Drefinery.*}
 * system properties and prints a {@code PROGRESS} line every 250 ms until it is killed. A progress
 * line that cannot be read (the warehouse is down) prints {@code WAREHOUSE-DOWN} instead: the routes
 * keep running and must catch up by themselves.
 */
public final class IngestionNode {

    private IngestionNode() {
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
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ReliabilityNodeApplication.class)
                .web(WebApplicationType.NONE).properties(properties.toArray(String[]::new)).run(args);
        Ingestion ingestion = context.getBean(Ingestion.class);
        IngestionLedger ledger = context.getBean(IngestionLedger.class);
        System.out.println("READY");
        System.out.flush();
        while (true) {
            try {
                System.out.println(progress(ingestion, ledger));
            } catch (RuntimeException e) {
                System.out.println("WAREHOUSE-DOWN " + e.getClass().getSimpleName());
            }
            System.out.flush();
            Thread.sleep(250);
        }
    }

    private static String progress(Ingestion ingestion, IngestionLedger ledger) {
        StringBuilder line = new StringBuilder("PROGRESS");
        for (Reconciliation r : ingestion.reconcile()) {
            line.append(' ').append(r.routeId()).append(".landed=").append(r.landedRecords())
                    .append(' ').append(r.routeId()).append(".cleaned=").append(r.cleaned())
                    .append(' ').append(r.routeId()).append(".quarantined=").append(r.quarantined())
                    .append(' ').append(r.routeId()).append(".balanced=").append(r.balanced())
                    .append(' ').append(r.routeId()).append(".unprocessed=").append(r.unprocessedBatches());
        }
        line.append(" sales.cleaned=").append(ledger.cleanedCount("sales-order-lines"));
        line.append(" iot.cleaned=").append(ledger.cleanedCount("iot-readings"));
        if (Boolean.getBoolean("reliability.served-totals")) {
            long quantity = 0;
            long lines = 0;
            for (String row : ledger.servedDemandSnapshot()) {
                String[] f = row.split("\t");
                quantity += Math.round(Double.parseDouble(f[3]));
                lines += Long.parseLong(f[4]);
            }
            line.append(" served.quantity=").append(quantity).append(" served.lines=").append(lines);
        }
        return line.toString();
    }
}
