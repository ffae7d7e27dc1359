package io.refinery.ingestion.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.IngestSession;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.RouteStopRequested;
import io.refinery.ingestion.SourceRecord;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

/**
 * Ingests one dropped file: a streamed read in chunks (or the engine lane's blocks), then a report beside
 * the file in done/ or failed/. The batch ids derive from the file's checksum, so a file re-delivered after
 * a crash lands nothing twice; in the engine lane it is hashed while the first block is read.
 */
final class FileDropProcessor implements Processor {

    private static final Logger log = LoggerFactory.getLogger(FileDropProcessor.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Ingestion ingestion;
    private final FileDropSettings settings;
    private final ApplicationEventPublisher events;

    FileDropProcessor(Ingestion ingestion, FileDropSettings settings, ApplicationEventPublisher events) {
        this.ingestion = ingestion;
        this.settings = settings;
        this.events = events;
    }

    static boolean accepted(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") || name.endsWith(".txt") || name.endsWith(".tsv") || name.endsWith(".xlsx");
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        File file = exchange.getIn().getBody(File.class);
        Instant started = Instant.now();
        String archivedName = STAMP.format(started) + "-" + file.getName();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("route", settings.routeId());
        report.put("file", file.getName());
        report.put("bytes", file.length());
        report.put("startedAt", started.toString());
        // The checksum is hashed on another thread while the engine lane reads the file's first block: it is
        // needed only when that block lands (a quarter of a second of a 250 MB file's start).
        FutureTask<String> checksum = new FutureTask<>(() -> sha256(file));
        Thread.ofVirtual().name("checksum-" + file.getName()).start(checksum);
        try {
            IngestResult result;
            IngestRequest request = settings.request().withSourceRef(file.getName());
            Optional<IngestResult> lane = !xlsx(file, settings) && settings.header().isEmpty()
                    ? ingestion.ingestCsvFile(request, () -> checksum(checksum), file.toPath(), settings.encoding(),
                    delimiter(file, settings))
                    : Optional.empty();
            request = request.withBatchKey(checksum(checksum));
            report.put("sha256", request.batchKey());
            if (lane.isPresent()) {
                result = lane.get();
                report.put("recordsRead", result.received());
                report.put("lane", "engine");
            } else {
                try (IngestSession session = ingestion.open(request)) {
                    long read = readFile(file, settings, session::accept);
                    result = session.finish();
                    report.put("recordsRead", read);
                }
            }
            report.put("outcome", result.stopRequested() ? "stopped-on-drift" : "done");
            report.put("result", result);
            log.info("File {} of route {}: {} received, {} cleaned, {} quarantined, {} duplicates, {} skipped",
                    file.getName(), settings.routeId(), result.received(), result.cleaned(), result.quarantined(),
                    result.duplicates(), result.skipped());
            if (result.stopRequested()) {
                events.publishEvent(new RouteStopRequested(settings.routeId(), "schema drift in " + file.getName()
                        + ": " + result.drift()));
            }
            writeReport(file.toPath().resolveSibling("done"), archivedName, report, started);
            exchange.getIn().setHeader(FileDropRouteFactory.ARCHIVED_PATH, "done/" + archivedName);
        } catch (Exception e) {
            if (ingestion.outage(e)) {
                // An outage, not a bad file: leave it in the inbox. What landed of it so far is skipped
                // when it is read again, because its batch ids derive from its checksum.
                log.warn("Route {}: the warehouse is not answering ({}); {} stays in the inbox and is read again later",
                        settings.routeId(), e.getMessage(), file.getName());
                throw new WarehouseUnavailable(file.getName(), e);
            }
            log.error("Route {}: {} failed and moves to failed/: {}", settings.routeId(), file.getName(), e.toString());
            if (checksum.state() == Future.State.SUCCESS) {
                report.putIfAbsent("sha256", checksum.resultNow());
            }
            report.put("outcome", "failed");
            report.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            writeReport(file.toPath().resolveSibling("failed"), archivedName, report, started);
            exchange.getIn().setHeader(FileDropRouteFactory.ARCHIVED_PATH, "failed/" + archivedName);
        }
    }

    /** Thrown (so the file consumer rolls back and keeps the file) while the warehouse does not answer. */
    static final class WarehouseUnavailable extends Exception {
        WarehouseUnavailable(String file, Exception cause) {
            super("the warehouse does not answer; " + file + " stays in the inbox", cause);
        }
    }

    /** Whether the file is read as a workbook (else as delimited text). */
    private static boolean xlsx(File file, FileDropSettings settings) {
        return settings.format() == FileDropRouteFactory.Format.XLSX
                || (settings.format() == FileDropRouteFactory.Format.AUTO
                && file.getName().toLowerCase(Locale.ROOT).endsWith(".xlsx"));
    }

    /** The delimiter of delimited text: a tab in a .tsv file, else the route's. */
    private static char delimiter(File file, FileDropSettings settings) {
        return file.getName().toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : settings.delimiter();
    }

    static long readFile(File file, FileDropSettings settings, Consumer<SourceRecord> sink) throws Exception {
        if (xlsx(file, settings)) {
            return XlsxRecords.read(file, settings.sheet(), sink);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file.toPath()), 1 << 16)) {
            return CsvRecords.read(in, settings.encoding(), delimiter(file, settings), settings.header(), sink);
        }
    }

    private static void writeReport(Path dir, String archivedName, Map<String, Object> report, Instant started) {
        try {
            Files.createDirectories(dir);
            report.put("finishedAt", Instant.now().toString());
            report.put("millis", Instant.now().toEpochMilli() - started.toEpochMilli());
            JSON.writeValue(dir.resolve(archivedName + ".report.json").toFile(), report);
        } catch (IOException e) {
            log.warn("Cannot write the report of {}: {}", archivedName, e.getMessage());
        }
    }

    /** The checksum once hashed; its failure as thrown by the hashing. */
    private static String checksum(FutureTask<String> checksum) {
        try {
            return checksum.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing the file", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? new UncheckedIOException(io)
                    : new IllegalStateException(e.getCause());
        }
    }

    static String sha256(File file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            // large reads: with 8 KiB ones (a stream's transfer) the calls cost about as much as the hashing
            byte[] buffer = new byte[1 << 20];
            try (InputStream in = Files.newInputStream(file.toPath())) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
