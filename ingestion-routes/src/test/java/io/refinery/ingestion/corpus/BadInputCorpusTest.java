package io.refinery.ingestion.corpus;

import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionIntegrationTest;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.ingestion.SourceKind;
import io.refinery.ingestion.admin.RouteAdmin;
import io.refinery.warehouse.ingest.IngestRecords.QuarantineEntry;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A corpus of malformed records and files: wrong types, missing and extra columns, bad UTF-8,
 * huge fields, negative / NaN quantities, impossible dates, duplicates, late events, truncated and
 * unreadable files. No route dies, every record is cleaned or quarantined with a reason, and the
 * reconciliation holds.
 */
@IngestionIntegrationTest
class BadInputCorpusTest {

    private static final String HEADER = "line_id,sku,location,quantity,unit_price,ordered_at,channel\n";

    @Autowired
    RouteAdmin admin;
    @Autowired
    Ingestion ingestion;

    static Map<String, byte[]> corpus() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        StringBuilder types = new StringBuilder(HEADER);
        String[][] bad = {
                {"abc", "1", "2025-01-01"}, {"1,5", "1", "2025-01-01"}, {"NaN", "1", "2025-01-01"},
                {"-3", "1", "2025-01-01"}, {"Infinity", "1", "2025-01-01"}, {"1e400", "1", "2025-01-01"},
                {"", "1", "2025-01-01"}, {"1", "free", "2025-01-01"}, {"1", "-0.5", "2025-01-01"},
                {"1", "1", "2025-13-01"}, {"1", "1", "2025-02-29"}, {"1", "1", "31/12/2025"}, {"1", "1", "tomorrow"},
                {"1", "1", ""}, {"1", "1", "2024-02-30T10:00"}, {"1", "1", "9999-01-01"}, {"1", "1", "1999-12-31"},
                {"1", "1", "2025-01-01T25:00:00Z"}, {"1", "1", "2025-01-01T10:00:00+25:00"},
                {"99999999999999999999", "1", "2025-01-01"}, {"0x10", "1", "2025-01-01"}, {"1", "1", "NaN"},
                {"12 pcs", "1", "2025-01-01"}, {"1", "€3", "2025-01-01"}, {"--1", "1", "2025-01-01"},
        };
        for (int i = 0; i < bad.length; i++) {
            types.append("T-").append(i).append(",sku,s1,").append(csv(bad[i][0])).append(',').append(bad[i][1])
                    .append(',').append(bad[i][2]).append(",store\n");
        }
        types.append("T-bad-channel,sku,s1,1,1,2025-01-01,fax\n");
        types.append(",sku,s1,1,1,2025-01-01,store\n");
        types.append("T-huge,").append("X".repeat(100_000)).append(",s1,1,1,2025-01-01,store\n");
        types.append("T-control,sku,s1\u0007,1,1,2025-01-01,store\n");
        types.append("T-ok,sku,s1,1,1,2025-01-01,store\n");
        files.put("sales-bad-types.csv", types.toString().getBytes(StandardCharsets.UTF_8));

        StringBuilder missing = new StringBuilder("line_id,quantity,ordered_at\n");
        for (int i = 0; i < 10; i++) {
            missing.append("M-").append(i).append(",1,2025-01-01\n");
        }
        files.put("sales-missing-columns.csv", missing.toString().getBytes(StandardCharsets.UTF_8));

        StringBuilder extra = new StringBuilder("line_id,sku,location,quantity,unit_price,ordered_at,channel,note,vat\n");
        for (int i = 0; i < 10; i++) {
            extra.append("E-").append(i).append(",sku,s1,1,1,2025-01-01,store,n,0.2")
                    .append(i % 3 == 0 ? ",surplus,values" : i % 3 == 1 ? "" : "").append('\n');
        }
        extra.append("E-short,sku\n");
        files.put("sales-extra-columns.csv", extra.toString().getBytes(StandardCharsets.UTF_8));

        ByteArrayOutputStream utf8 = new ByteArrayOutputStream();
        utf8.writeBytes(HEADER.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 10; i++) {
            utf8.writeBytes(("U-" + i + ",caf").getBytes(StandardCharsets.UTF_8));
            utf8.write(0xE9); // Latin-1 'é' in a UTF-8 file
            utf8.writeBytes(",s1,1,1,2025-01-01,store\n".getBytes(StandardCharsets.UTF_8));
        }
        files.put("sales-bad-utf8.csv", utf8.toByteArray());

        StringBuilder dups = new StringBuilder(HEADER);
        for (int i = 0; i < 10; i++) {
            dups.append("D-").append(i % 5).append(",sku,s1,").append(i).append(",1,2025-01-01,store\n");
        }
        files.put("sales-duplicates.csv", dups.toString().getBytes(StandardCharsets.UTF_8));

        StringBuilder late = new StringBuilder(HEADER);
        for (int i = 0; i < 5; i++) {
            late.append("L-").append(i).append(",sku,s1,1,1,2019-0").append(i + 1).append("-01,store\n");
        }
        files.put("sales-late-events.csv", late.toString().getBytes(StandardCharsets.UTF_8));

        String truncated = HEADER + "X-1,sku,s1,1,1,2025-01-01,store\nX-2,sku,s1,1,1,2025-01-01,store\nX-3,\"sku, with";
        files.put("sales-truncated.csv", truncated.getBytes(StandardCharsets.UTF_8));
        files.put("sales-cut-mid-line.csv", (HEADER + "C-1,sku,s1,1,1,2025-01-01,store\nC-2,sku,s1,1")
                .getBytes(StandardCharsets.UTF_8));
        files.put("sales-empty.csv", new byte[0]);
        files.put("sales-header-only.csv", HEADER.getBytes(StandardCharsets.UTF_8));
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        files.put("sales-garbage.csv", garbage);
        files.put("sales-broken.xlsx", "PK\u0003\u0004 not really a workbook".getBytes(StandardCharsets.ISO_8859_1));
        return files;
    }

    private static String csv(String value) {
        return value.contains(",") ? "\"" + value + "\"" : value;
    }

    @Test
    void aCorpusOfBadFilesAndRecordsNeverStopsARouteAndEveryRecordIsCleanedOrQuarantinedWithAReason()
            throws Exception {
        Path inbox = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "corpus-" + System.nanoTime()));
        String route = "corpus-files";
        admin.create(new RouteDefinition(route, RouteKind.FILE_DROP, Entity.SALES_ORDER_LINES,
                DriftPolicy.ACCEPT_AND_FLAG, Map.of("inbox", inbox.toString(), "readLockMinAgeMs", "50",
                "pollDelayMs", "50")), "test");
        admin.start(route, "test");
        Map<String, byte[]> corpus = corpus();
        try {
            for (Map.Entry<String, byte[]> file : corpus.entrySet()) {
                Path tmp = inbox.resolve(file.getKey() + ".part");
                Files.write(tmp, file.getValue());
                Files.move(tmp, inbox.resolve(file.getKey()), StandardCopyOption.ATOMIC_MOVE);
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                    reports(inbox, "done").size() + reports(inbox, "failed").size() == corpus.size());

            assertThat(admin.get(route).orElseThrow().status()).isEqualTo("started");
            assertThat(reports(inbox, "failed")).singleElement().asString().contains("sales-broken.xlsx");
        } finally {
            admin.delete(route, "test");
        }
        Reconciliation files = ingestion.reconcile().stream().filter(r -> r.routeId().equals(route)).findFirst()
                .orElseThrow();
        assertThat(files.balanced()).as(files.toString()).isTrue();
        assertThat(files.quarantined() + files.duplicates()).isGreaterThanOrEqualTo(90);

        // The same kind of damage arriving as messages (MQTT, uploads) through the record path.
        List<Map<String, String>> readings = new ArrayList<>();
        String[] values = {"NaN", "Infinity", "-Infinity", "", "abc", "1e999", "12,5", "0x1F", "null", "true"};
        for (int i = 0; i < values.length; i++) {
            readings.add(Map.of("device_id", "corpus-d" + i, "location", "s1", "metric", "temp", "value", values[i],
                    "observed_at", "2025-01-01T00:00:00Z"));
        }
        String[] times = {"2025-02-30T00:00:00Z", "1970-01-01T00:00:00Z", "2999-01-01T00:00:00Z", "yesterday",
                "2025-01-01T00:00:00+99:00", "", "1", "2025-01-01 24:00:00", "2025/01/01", "1735689600"};
        for (int i = 0; i < times.length; i++) {
            readings.add(Map.of("device_id", "corpus-t" + i, "location", "s1", "metric", "temp", "value", "1",
                    "observed_at", times[i]));
        }
        readings.add(Map.of("_malformed", "payload is not UTF-8", "value", "\uFFFD"));
        IngestResult mqttLike = ingestion.ingest(IngestRequest.of(Entity.IOT_READINGS, "corpus-messages",
                SourceKind.MQTT, "corpus"), readings);
        assertThat(mqttLike.cleaned()).isZero();
        assertThat(mqttLike.quarantined()).isEqualTo(readings.size());

        List<QuarantineEntry> quarantined = new ArrayList<>(ingestion.quarantine(route, null, null, 10_000));
        quarantined.addAll(ingestion.quarantine("corpus-messages", null, null, 10_000));
        assertThat(quarantined.size()).isGreaterThanOrEqualTo(100);
        assertThat(quarantined).allSatisfy(q -> {
            assertThat(q.rule()).isNotBlank();
            assertThat(q.reason()).isNotBlank();
            assertThat(q.value().length()).isLessThanOrEqualTo(201);
        });
        assertThat(quarantined).extracting(QuarantineEntry::rule).contains("type", "range", "required", "allowed",
                "max-length", "encoding", "malformed", "duplicate-key");
        assertThat(ingestion.reconcile()).filteredOn(r -> r.routeId().startsWith("corpus-"))
                .allSatisfy(r -> assertThat(r.balanced()).as(r.toString()).isTrue());
    }

    private static List<String> reports(Path inbox, String folder) throws Exception {
        Path dir = inbox.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".report.json")).toList();
        }
    }
}
