package io.refinery.ingestion.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionIntegrationTest;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.ingestion.admin.RouteAdmin;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import io.refinery.warehouse.ingest.IngestionLedger;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IngestionIntegrationTest
class FileDropRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    RouteAdmin admin;
    @Autowired
    Ingestion ingestion;
    @Autowired
    IngestionLedger ledger;

    private final List<String> routes = new ArrayList<>();

    @AfterEach
    void stopRoutes() {
        routes.forEach(r -> admin.delete(r, "test"));
    }

    static Path inbox(String name) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "refinery-inbox-" + name + "-" + System.nanoTime());
        Files.createDirectories(dir);
        return dir;
    }

    /** Drops a file the way an ERP export should: written under another name, then renamed. */
    static void drop(Path inbox, String name, byte[] content) throws IOException {
        Path tmp = inbox.resolve(name + ".part");
        Files.write(tmp, content);
        Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    JsonNode awaitReport(Path inbox, String folder, String fileName) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Path dir = inbox.resolve(folder);
            if (!Files.isDirectory(dir)) {
                return null;
            }
            try (Stream<Path> files = Files.list(dir)) {
                Path report = files.filter(p -> p.getFileName().toString().endsWith(fileName + ".report.json"))
                        .findFirst().orElse(null);
                return report == null || Files.exists(inbox.resolve(fileName)) ? null : JSON.readTree(report.toFile());
            }
        }, r -> r != null);
    }

    void start(RouteDefinition definition) {
        admin.create(definition, "test");
        routes.add(definition.id());
        admin.start(definition.id(), "test");
    }

    Reconciliation reconciliation(String route) {
        return ingestion.reconcile().stream().filter(r -> r.routeId().equals(route)).findFirst().orElseThrow();
    }

    @Test
    void aCsvExportWithItsOwnDelimiterEncodingDateFormatAndHeadersIsIngestedAndArchivedWithAReport() throws Exception {
        Path inbox = inbox("csv");
        start(new RouteDefinition("file-csv-latin1", RouteKind.FILE_DROP, Entity.SALES_ORDER_LINES,
                DriftPolicy.ACCEPT_AND_FLAG, Map.of("inbox", inbox.toString(), "delimiter", ";", "encoding",
                "ISO-8859-1", "dateFormat", "dd.MM.yyyy", "columns", "Auftragszeile:line_id,Menge:quantity",
                "readLockMinAgeMs", "100", "pollDelayMs", "100")));
        String csv = """
                Auftragszeile;SKU;Location;Menge;Unit Price;Ordered At;Channel
                F-1;sku-f;Köln;2;1.5;01.03.2025;store
                F-2;sku-f;Köln;3;;02.03.2025;web
                F-3;sku-f;Köln;x;1;03.03.2025;web
                """;

        drop(inbox, "orders.csv", csv.getBytes(Charset.forName("ISO-8859-1")));

        JsonNode report = awaitReport(inbox, "done", "orders.csv");
        assertThat(report.path("outcome").asText()).isEqualTo("done");
        assertThat(report.path("result").path("cleaned").asLong()).isEqualTo(2);
        assertThat(report.path("result").path("quarantined").asLong()).isEqualTo(1);
        assertThat(report.path("sha256").asText()).hasSize(64);
        assertThat(ledger.cleanedSnapshot("sales-order-lines")).anySatisfy(r ->
                assertThat(r).startsWith("F-1\tSKU-F\tKÖLN\t2.0000\t1.5000\t2025-03-01 00:00:00"));
        assertThat(reconciliation("file-csv-latin1").balanced()).isTrue();
    }

    @Test
    void anXlsxWorkbookIsStreamedWithDateCellsAsIsoValues() throws Exception {
        Path inbox = inbox("xlsx");
        start(new RouteDefinition("file-xlsx", RouteKind.FILE_DROP, Entity.PURCHASE_ORDER_LINES,
                DriftPolicy.ACCEPT_AND_FLAG, Map.of("inbox", inbox.toString(), "readLockMinAgeMs", "100",
                "pollDelayMs", "100")));
        byte[] workbook;
        try (SXSSFWorkbook wb = new SXSSFWorkbook(100); var out = new java.io.ByteArrayOutputStream()) {
            Sheet sheet = wb.createSheet("PO");
            CellStyle dateStyle = wb.createCellStyle();
            dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy hh:mm"));
            CellStyle dayStyle = wb.createCellStyle();
            dayStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("d-mmm-yy"));
            String[] header = {"po_line_id", "supplier", "sku", "location", "quantity", "ordered_at", "promised_date"};
            Row h = sheet.createRow(0);
            for (int i = 0; i < header.length; i++) {
                h.createCell(i).setCellValue(header[i]);
            }
            for (int n = 1; n <= 3; n++) {
                Row r = sheet.createRow(n);
                r.createCell(0).setCellValue("X-" + n);
                r.createCell(1).setCellValue("acme");
                r.createCell(2).setCellValue("sku-x");
                r.createCell(3).setCellValue("dc1");
                r.createCell(4).setCellValue(10.5 * n);
                var ordered = r.createCell(5);
                ordered.setCellValue(LocalDateTime.of(2025, 1, n, 8, 30));
                ordered.setCellStyle(dateStyle);
                var promised = r.createCell(6);
                promised.setCellValue(LocalDateTime.of(2025, 2, n, 0, 0));
                promised.setCellStyle(dayStyle);
            }
            wb.write(out);
            workbook = out.toByteArray();
        }

        drop(inbox, "po.xlsx", workbook);

        JsonNode report = awaitReport(inbox, "done", "po.xlsx");
        assertThat(report.path("result").path("cleaned").asLong()).as(report.toString()).isEqualTo(3);
        assertThat(ledger.cleanedSnapshot("purchase-order-lines")).anySatisfy(r ->
                assertThat(r).startsWith("X-2\tACME\tSKU-X\tDC1\t21.0000\t2025-01-02 08:30:00.0\t2025-02-02"));
        assertThat(ledger.servedLeadTimeSnapshot()).anySatisfy(r -> assertThat(r).startsWith("X-3\tACME"));
    }

    @Test
    void aLargeFileIsStreamedInChunksAndTheSameFileDroppedAgainLandsNothingTwice() throws Exception {
        Path inbox = inbox("large");
        start(new RouteDefinition("file-large", RouteKind.FILE_DROP, Entity.IOT_READINGS,
                DriftPolicy.ACCEPT_AND_FLAG, Map.of("inbox", inbox.toString(), "batchSize", "20000",
                "readLockMinAgeMs", "100", "pollDelayMs", "100")));
        Path big = Files.createTempFile("readings", ".csv");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(big))) {
            out.write("device_id,location,sku,metric,value,observed_at\n".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 50_000; i++) {
                out.write(("dev-" + (i % 50) + ",s1,,temp," + (i % 40) + ".5,2025-01-01T00:00:00Z"
                        .replace("00:00:00", String.format("%02d:%02d:%02d", i / 3600 % 24, i / 60 % 60, i % 60))
                        + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] content = Files.readAllBytes(big);

        drop(inbox, "readings.csv", content);
        JsonNode first = awaitReport(inbox, "done", "readings.csv");
        drop(inbox, "readings-again.csv", content);
        JsonNode second = awaitReport(inbox, "done", "readings-again.csv");

        assertThat(first.path("result").path("batchIds")).hasSize(3);
        assertThat(first.path("result").path("landed").asLong()).isEqualTo(50_000);
        assertThat(second.path("result").path("skipped").asLong()).isEqualTo(50_000);
        assertThat(second.path("result").path("landed").asLong()).isZero();
        Reconciliation reconciliation = reconciliation("file-large");
        assertThat(reconciliation.landedRecords()).isEqualTo(50_000);
        assertThat(reconciliation.balanced()).as(reconciliation.toString()).isTrue();
    }
}
