package io.refinery.api.pipeline;

import io.refinery.api.Blocking;
import io.refinery.api.Inputs;
import io.refinery.api.problem.Problems;
import io.refinery.ingestion.DriftFinding;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.SourceKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Uploads of a dataset file (CSV, XLSX or JSON lines) into the record path: the body is streamed to
 * a spool file (bounded in size, never in memory), read record by record and ingested through the
 * ingestion facade with the entity's data contract. A re-upload of the same file is recognised.
 */
@RestController
@Tag(name = "Datasets")
class DatasetsController {

    private static final Pattern FILE_NAME = Pattern.compile("^[\\p{L}\\p{N}][\\p{L}\\p{N} ._()-]{0,127}$");

    enum Format { CSV, XLSX, JSONL }

    record UploadResult(String entity, UUID batchId, List<UUID> batchIds, long received, long accepted,
                        long quarantined, long duplicates, long alreadyIngested, List<DriftFinding> drift,
                        String quarantine) {
    }

    private final ObjectProvider<Ingestion> ingestion;
    private final UploadProperties properties;

    DatasetsController(ObjectProvider<Ingestion> ingestion, UploadProperties properties) {
        this.ingestion = ingestion;
        this.properties = properties;
    }

    @PostMapping(value = "/api/v1/datasets/{entity}", consumes = MediaType.ALL_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Upload a dataset (CSV, XLSX or JSON lines) for sales-order-lines, purchase-order-lines,"
            + " receipts, iot-readings, products, locations or suppliers")
    Mono<UploadResult> upload(@PathVariable String entity,
                              @RequestParam(required = false) String format,
                              @RequestParam(required = false) String filename,
                              @RequestHeader(value = "Content-Type", required = false) String contentType,
                              @RequestBody(required = false) Flux<DataBuffer> body, Principal user) {
        Entity target = entity(entity);
        Format chosen = format != null ? Inputs.option("format", format, Format.class, null) : byContentType(contentType);
        String name = filename == null || filename.isBlank() ? target.wireName() + "." + chosen.name().toLowerCase()
                : checkedName(filename);
        Ingestion facade = Blocking.facade(ingestion, "ingestion");
        long max = properties.maxSize().toBytes();
        return Mono.usingWhen(
                Blocking.call(() -> Files.createTempFile(properties.spool(), "upload-", ".part")),
                spool -> spool(body == null ? Flux.empty() : body, spool, max).then(Blocking.call(() -> ingest(facade, target, chosen, name, spool, user))),
                spool -> Blocking.call(() -> Files.deleteIfExists(spool)));
    }

    private static Mono<Void> spool(Flux<DataBuffer> body, Path spool, long max) {
        AtomicLong size = new AtomicLong();
        Flux<DataBuffer> bounded = body.doOnNext(buffer -> {
            if (size.addAndGet(buffer.readableByteCount()) > max) {
                DataBufferUtils.release(buffer);
                throw Problems.tooLarge("the upload is larger than " + max + " bytes");
            }
        });
        return DataBufferUtils.write(bounded, spool).then(Mono.defer(() -> size.get() == 0
                ? Mono.error(Problems.badRequest("the upload is empty")) : Mono.empty()));
    }

    private UploadResult ingest(Ingestion facade, Entity entity, Format format, String name, Path spool, Principal user)
            throws IOException {
        String routeId = "upload-" + entity.wireName();
        IngestRequest request = IngestRequest.of(entity, routeId, SourceKind.UPLOAD, name + " by " + user.getName())
                .withBatchKey(sha256(spool));
        IngestResult result;
        try {
            result = switch (format) {
                case CSV -> {
                    try (InputStream in = Files.newInputStream(spool)) {
                        yield facade.ingest(request, RecordReaders.csv(in));
                    }
                }
                case JSONL -> {
                    try (InputStream in = Files.newInputStream(spool)) {
                        yield facade.ingest(request, RecordReaders.jsonLines(in));
                    }
                }
                case XLSX -> RecordReaders.xlsx(spool, facade.open(request));
            };
        } catch (RecordReaders.UnreadableException e) {
            throw Problems.badRequest("the file cannot be read as " + format.name().toLowerCase() + ": " + e.getMessage());
        }
        UUID first = result.batchId();
        return new UploadResult(entity.wireName(), first, result.batchIds(), result.received(), result.cleaned(),
                result.quarantined(), result.duplicates(), result.skipped(), result.drift(),
                "/api/v1/quarantine?routeId=" + routeId + (first == null ? "" : "&batchId=" + first));
    }

    private static Entity entity(String value) {
        try {
            return Entity.of(value);
        } catch (IllegalArgumentException e) {
            throw Problems.notFound("no dataset '" + (value.length() > 64 ? value.substring(0, 64) + "…" : value)
                    + "'; datasets are " + java.util.Arrays.stream(Entity.values()).map(Entity::wireName).toList());
        }
    }

    private static String checkedName(String filename) {
        if (!FILE_NAME.matcher(filename).matches() || filename.contains("..")) {
            throw Problems.invalidField("filename", "must be a plain file name (letters, digits, spaces, ._()-), no path");
        }
        return filename;
    }

    private static Format byContentType(String contentType) {
        if (contentType == null) {
            throw Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "say the format: Content-Type text/csv,"
                    + " application/x-ndjson or the XLSX type, or ?format=csv|xlsx|jsonl");
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (IllegalArgumentException e) {
            throw Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unreadable Content-Type");
        }
        String subtype = type.getSubtype();
        if (subtype.equals("csv")) {
            return Format.CSV;
        }
        if (subtype.equals("x-ndjson") || subtype.equals("jsonl") || subtype.equals("x-jsonlines")) {
            return Format.JSONL;
        }
        if (subtype.equals("vnd.openxmlformats-officedocument.spreadsheetml.sheet")) {
            return Format.XLSX;
        }
        throw Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "uploads are CSV (text/csv), JSON lines"
                + " (application/x-ndjson) or XLSX, not " + type);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
