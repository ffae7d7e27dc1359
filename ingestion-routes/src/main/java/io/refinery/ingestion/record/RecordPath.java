package io.refinery.ingestion.record;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.refinery.ingestion.BatchIngested;
import io.refinery.ingestion.DriftFinding;
import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.IngestSession;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionProperties;
import io.refinery.ingestion.Requests.RecordRef;
import io.refinery.ingestion.Requests.ReplayRequest;
import io.refinery.ingestion.Requests.ReplayResult;
import io.refinery.ingestion.Requests.ReprocessRequest;
import io.refinery.ingestion.Requests.ReprocessResult;
import io.refinery.ingestion.SourceKind;
import io.refinery.ingestion.SourceRecord;
import io.refinery.ingestion.contract.ContractEngine;
import io.refinery.ingestion.contract.ContractRegistry;
import io.refinery.ingestion.contract.DataContract;
import io.refinery.ingestion.contract.ParseOptions;
import io.refinery.ingestion.file.CsvRecords;
import io.refinery.ingestion.record.BatchProcessor.Batch;
import io.refinery.ingestion.record.BatchProcessor.Decision;
import io.refinery.warehouse.BulkInserter;
import io.refinery.warehouse.WarehouseException;
import io.refinery.warehouse.cleaned.CleanedWriter;
import io.refinery.warehouse.ingest.IngestRecords.BatchOutcome;
import io.refinery.warehouse.ingest.IngestRecords.DriftEntry;
import io.refinery.warehouse.ingest.IngestRecords.QuarantineEntry;
import io.refinery.warehouse.ingest.IngestRecords.RawBatchInfo;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import io.refinery.warehouse.ingest.IngestRecords.RouteTotals;
import io.refinery.warehouse.ingest.IngestionLedger;
import io.refinery.warehouse.raw.LandedBatch;
import io.refinery.warehouse.raw.RawBatch;
import io.refinery.warehouse.raw.RawLanding;
import io.refinery.warehouse.raw.RawRecord;
import io.refinery.warehouse.served.ServedLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The record path behind {@link Ingestion}. Per chunk: derive the batch id, skip it when fully
 * processed before, land it raw (or, when it was landed but not processed, take the landed records),
 * decide with the contract, write cleaned, quarantine and drift, and finally the batch outcome,
 * which marks the batch as processed. Every step is idempotent, so a crash anywhere is repaired by
 * re-delivering (or {@link #recover}).
 */
@Component
class RecordPath implements Ingestion, DisposableBean {

    /** Records after which a session refreshes served and records its outcomes (see {@link Deferred}). */
    static final long SERVED_REFRESH_EVERY = 2_000_000;

    /** Blocks of a CSV file in the engine lane at a time. */
    private static final int ENGINE_BLOCKS_IN_FLIGHT = 2;

    private static final Logger log = LoggerFactory.getLogger(RecordPath.class);

    private final RawLanding landing;
    private final CleanedWriter cleanedWriter;
    private final BulkInserter inserter;
    private final IngestionLedger ledger;
    private final ContractRegistry contracts;
    private final BatchProcessor processor;
    private final IngestionMetrics metrics;
    private final ApplicationEventPublisher events;
    /** The last request seen per route: how its columns map, for re-process and replay. */
    private final Map<String, IngestRequest> lastRequestByRoute = new ConcurrentHashMap<>();
    /** The last drift signature per route, so an unchanged drift is recorded once, not per batch. */
    private final Map<String, String> driftSignatureByRoute = new ConcurrentHashMap<>();
    /** Rows per block of the engine lane at least (see {@link IngestionProperties#laneBlockRows()}). */
    private final int laneBlockRows;
    /** The engine lane's refresh interval (see {@link IngestionProperties#laneRefreshRecords()}). */
    private final long laneRefreshRecords;
    /** Lands and writes the chunks of sessions, one in flight per session, while the caller reads on. */
    private final ExecutorService chunkWorkers = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("ingest-chunk-", 0).daemon(true).factory());

    RecordPath(RawLanding landing, CleanedWriter cleanedWriter, BulkInserter inserter, IngestionLedger ledger,
               ContractRegistry contracts, ObjectProvider<MeterRegistry> meterRegistry, ApplicationEventPublisher events,
               IngestionProperties properties) {
        this.laneBlockRows = properties.laneBlockRows();
        this.laneRefreshRecords = properties.laneRefreshRecords();
        this.landing = landing;
        this.cleanedWriter = cleanedWriter;
        this.inserter = inserter;
        this.ledger = ledger;
        this.contracts = contracts;
        this.processor = new BatchProcessor(new ContractEngine());
        this.metrics = new IngestionMetrics(meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
        this.events = events;
    }

    @Override
    public void destroy() {
        chunkWorkers.shutdown();
    }

    // ---- ingest ---------------------------------------------------------------------------------

    @Override
    public IngestResult ingest(IngestRequest request, List<Map<String, String>> records) {
        try (IngestSession session = open(request)) {
            for (int i = 0; i < records.size(); i++) {
                session.accept(new SourceRecord(String.valueOf(i + 1), records.get(i)));
            }
            return session.finish();
        }
    }

    @Override
    public IngestResult ingest(IngestRequest request, Iterator<SourceRecord> records) {
        try (IngestSession session = open(request)) {
            records.forEachRemaining(session::accept);
            return session.finish();
        }
    }

    @Override
    public boolean outage(Throwable failure) {
        return landing.unavailable(failure);
    }

    @Override
    public IngestSession open(IngestRequest request) {
        lastRequestByRoute.put(request.routeId(), request);
        return new ChunkingSession(request);
    }

    /**
     * A streamed ingest, pipelined: while chunk n is landed and written on a worker, the caller
     * reads chunk n+1, and at most one chunk is in flight, so memory stays at about two chunks.
     * Chunks are processed in order, one at a time, exactly as before; only the reading overlaps.
     */
    private final class ChunkingSession implements IngestSession {
        private final IngestRequest request;
        private final Deferred deferred = new Deferred();
        private List<SourceRecord> chunk;
        private int chunkNo;
        private IngestResult total = IngestResult.EMPTY;
        private Future<IngestResult> inFlight;
        private boolean finished;

        ChunkingSession(IngestRequest request) {
            this.request = request;
            this.chunk = new ArrayList<>(Math.min(request.batchSize(), 65_536));
        }

        @Override
        public void accept(SourceRecord record) {
            if (finished) {
                throw new IllegalStateException("session finished");
            }
            chunk.add(record);
            if (chunk.size() >= request.batchSize()) {
                flush();
            }
        }

        private void flush() {
            if (chunk.isEmpty()) {
                return;
            }
            List<SourceRecord> full = chunk;
            int no = chunkNo++;
            chunk = new ArrayList<>(Math.min(request.batchSize(), 65_536));
            awaitInFlight();
            inFlight = chunkWorkers.submit(() -> ingestChunk(request, full, no, deferred));
        }

        private void awaitInFlight() {
            if (inFlight == null) {
                return;
            }
            Future<IngestResult> running = inFlight;
            inFlight = null;
            try {
                total = total.plus(running.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a chunk was being ingested", e);
            }
            if (deferred.records >= SERVED_REFRESH_EVERY) {
                deferred.complete();
            }
        }

        @Override
        public IngestResult finish() {
            flush();
            awaitInFlight();
            deferred.complete();
            finished = true;
            return total;
        }

        @Override
        public void close() {
            if (finished) {
                return;
            }
            finished = true;
            chunk = List.of();
            // The unsent tail is dropped (nothing of it landed); what was written is completed, so
            // a failed read leaves no batch waiting for recovery.
            try {
                awaitInFlight();
                deferred.complete();
            } catch (RuntimeException e) {
                log.warn("Route {}: the last chunk of an abandoned session failed: {}", request.routeId(), e.getMessage());
            }
        }
    }

    /**
     * Batches of a session that are written to cleaned and quarantine but not yet declared
     * processed. The served refresh spans the whole touched range, so it runs once per
     * {@value #SERVED_REFRESH_EVERY} records (and at the end) rather than per batch, and only
     * after it are the outcomes recorded. Until then the batches are landed without an outcome,
     * which a crash turns into an idempotent re-process ({@link #recover}, or the re-delivery),
     * never a loss or a stale served cell.
     */
    private final class Deferred {
        private ServedLayer.DemandTouch demand = new ServedLayer.DemandTouch();
        private final List<BatchOutcome> outcomes = new ArrayList<>();
        private final Set<UUID> batchIds = new HashSet<>();
        private long records;

        void add(BatchOutcome outcome) {
            outcomes.add(outcome);
            batchIds.add(outcome.batchId());
            records += outcome.landed();
        }

        /** Takes over what another (a block's own, written in parallel with others) has collected. */
        void absorb(Deferred other) {
            outcomes.addAll(other.outcomes);
            batchIds.addAll(other.batchIds);
            records += other.records;
            demand.addAll(other.demand);
        }

        void complete() {
            if (outcomes.isEmpty()) {
                return;
            }
            cleanedWriter.refreshDemand(demand);
            outcomes.forEach(ledger::recordOutcome);
            outcomes.clear();
            batchIds.clear();
            demand = new ServedLayer.DemandTouch();
            records = 0;
        }
    }

    private IngestResult ingestChunk(IngestRequest request, List<SourceRecord> chunk, int chunkNo, Deferred deferred) {
        long started = System.nanoTime();
        String routeId = request.routeId();
        List<RawRecord> raw = rawRows(request, chunk);
        UUID batchId = batchId(request, chunkNo, raw);
        // Every log line about this batch carries its id and route: structured logs correlate on them.
        try (MDC.MDCCloseable b = MDC.putCloseable("batchId", batchId.toString());
             MDC.MDCCloseable r = MDC.putCloseable("routeId", routeId)) {
            return ingestChunk(request, chunk, chunkNo, started, routeId, raw, batchId, deferred);
        }
    }

    private IngestResult ingestChunk(IngestRequest request, List<SourceRecord> chunk, int chunkNo, long started,
                                     String routeId, List<RawRecord> raw, UUID batchId, Deferred deferred) {
        metrics.count(routeId, "received", chunk.size());
        if (deferred.batchIds.contains(batchId)) {
            return processedBefore(batchId, routeId, chunk.size());
        }
        Instant receivedAt = Instant.now();
        String sourceRef = request.sourceRef() + (chunkNo > 0 || chunk.size() >= request.batchSize()
                ? " #" + chunkNo : "");
        RawBatch rawBatch = new RawBatch(batchId, request.source().wireName(), routeId, request.entity().wireName(),
                sourceRef, receivedAt, raw);
        // Raw first: nothing reaches cleaned before the landing returns. Deciding meanwhile only lets
        // the contract's CPU work overlap the warehouse's work of landing.
        Future<LandedBatch> landingDone = chunkWorkers.submit(() -> landing.land(rawBatch));
        List<Map<String, String>> fields = chunk.stream().map(SourceRecord::fields).toList();
        Decision early;
        try {
            early = decide(new Batch(batchId, routeId, request.entity(), receivedAt, fields), request.parseOptions(),
                    request.columnMapping(), request.driftPolicy());
        } catch (RuntimeException e) {
            join(landingDone);
            throw e;
        }
        LandedBatch landed = join(landingDone);
        // A batch with an outcome has landed (manifests are kept when raw payloads expire), so only a batch that
        // had landed is looked up in the ledger: one query less for every new batch.
        if (landed.alreadyLanded() && ledger.outcome(batchId).isPresent()) {
            return processedBefore(batchId, routeId, chunk.size());
        }
        if (landed.alreadyLanded()) {
            // Landed by an attempt that crashed before its outcome: decide on what is in raw.
            RawBatchInfo info = ledger.rawBatch(batchId).orElseThrow();
            receivedAt = info.receivedAt();
            fields = rawFields(batchId);
            early = null;
        }
        metrics.count(routeId, "landed", fields.size());
        IngestResult result;
        try {
            result = process(new Batch(batchId, routeId, request.entity(), receivedAt, fields),
                    request.source().wireName(), sourceRef, request.parseOptions(), request.columnMapping(),
                    request.driftPolicy(), chunk.size(), deferred, early);
        } catch (RuntimeException e) {
            events.publishEvent(new BatchIngested(batchId, routeId, request.entity(), request.source().wireName(),
                    sourceRef, "", receivedAt, Instant.now(), chunk.size(), fields.size(), 0, 0, 0,
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
            throw e;
        }
        metrics.batch(routeId, Duration.ofNanos(System.nanoTime() - started));
        return result;
    }

    private IngestResult processedBefore(UUID batchId, String routeId, int records) {
        log.info("Batch {} of route {} was processed before; skipped ({} records)", batchId, routeId, records);
        return new IngestResult(List.of(batchId), records, 0, 0, 0, 0, records, List.of(), false);
    }

    /**
     * An MQTT micro-batch lands as one raw row, a record block (a line per message: its topic and fields, in
     * arrival order, one hash for all); other sources land a row per record. A micro-batch is thousands of
     * messages of a hundred bytes, and a raw row's own columns and hash per message cost the engine and the
     * JVM more than the message; a file's, a table's or an API's records keep a row each.
     */
    private static List<RawRecord> rawRows(IngestRequest request, List<SourceRecord> chunk) {
        if (request.source() == SourceKind.MQTT) {
            String first = chunk.getFirst().offset();
            return List.of(new RawRecord(first == null ? "" : first, Payloads.encodeBlock(chunk),
                    RawRecord.RECORD_BLOCK, chunk.size()));
        }
        List<RawRecord> raw = new ArrayList<>(chunk.size());
        for (SourceRecord r : chunk) {
            raw.add(new RawRecord(r.offset() == null ? "" : r.offset(), Payloads.encode(r.fields())));
        }
        return raw;
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while landing", e);
        }
    }

    private Decision decide(Batch batch, ParseOptions options, Map<String, String> mapping, DriftPolicy policy) {
        return processor.decide(batch, contracts.active(batch.entity().wireName()), options, mapping, policy, null,
                Map.of());
    }

    /**
     * Decides (unless {@code decided} already did, on the same records) and writes one landed
     * batch; with {@code deferred} its served refresh and outcome wait for the session.
     */
    private IngestResult process(Batch batch, String source, String sourceRef, ParseOptions options,
                                 Map<String, String> mapping, DriftPolicy policy, int received, Deferred deferred,
                                 Decision decided) {
        Decision decision = decided != null ? decided : decide(batch, options, mapping, policy);
        long cleaned = deferred == null ? processor.write(cleanedWriter, batch.entity(), decision)
                : processor.write(cleanedWriter, batch.entity(), decision, deferred.demand);
        List<QuarantineEntry> entries = new ArrayList<>(decision.quarantined());
        entries.addAll(decision.duplicates());
        ledger.quarantine(entries);
        recordDrift(batch, decision, policy);
        int served = CleanedMapping.feedsServed(batch.entity()) ? (int) cleaned : 0;
        BatchOutcome outcome = new BatchOutcome(batch.batchId(), batch.routeId(), batch.entity().wireName(), source,
                sourceRef, decision.contractId(), received, batch.records().size(), (int) cleaned,
                decision.quarantined().size(), decision.duplicates().size(), served, batch.receivedAt(), Instant.now());
        if (deferred == null) {
            ledger.recordOutcome(outcome);
        } else {
            deferred.add(outcome);
        }
        metrics.count(batch.routeId(), "cleaned", cleaned);
        metrics.count(batch.routeId(), "quarantined", decision.quarantined().size());
        metrics.count(batch.routeId(), "duplicates", decision.duplicates().size());
        metrics.count(batch.routeId(), "served", served);
        events.publishEvent(new BatchIngested(batch.batchId(), batch.routeId(), batch.entity(), source, sourceRef,
                decision.contractId(), batch.receivedAt(), Instant.now(), received, batch.records().size(), cleaned,
                decision.quarantined().size(), decision.duplicates().size(), null));
        if (decision.stop()) {
            log.warn("Route {} stops on schema drift: {}", batch.routeId(), decision.drift());
        }
        return new IngestResult(List.of(batch.batchId()), received, batch.records().size(), cleaned,
                decision.quarantined().size(), decision.duplicates().size(), 0, decision.drift(), decision.stop());
    }

    private void recordDrift(Batch batch, Decision decision, DriftPolicy policy) {
        String signature = decision.drift().stream().map(f -> f.change() + ":" + f.column()).sorted()
                .collect(Collectors.joining("|"));
        String previous = driftSignatureByRoute.put(batch.routeId(), signature);
        if (decision.drift().isEmpty() || signature.equals(previous)) {
            return;
        }
        boolean tripped = policy != DriftPolicy.ACCEPT_AND_FLAG && decision.drift().stream().anyMatch(BatchProcessor::triggers);
        String action = !tripped ? "flagged" : policy == DriftPolicy.STOP ? "quarantined-and-stopped" : "quarantined";
        Instant now = Instant.now();
        ledger.recordDrift(decision.drift().stream().map(f -> new DriftEntry(batch.routeId(), batch.entity().wireName(),
                batch.batchId(), now, f.change(), f.column(), f.detail(), policy.name(), action)).toList());
    }

    private static UUID batchId(IngestRequest request, int chunkNo, List<RawRecord> raw) {
        if (request.batchKey() != null) {
            return keyedBatchId(request, String.valueOf(request.batchSize()), chunkNo);
        }
        MessageDigest digest = sha256();
        digest.update(request.routeId().getBytes(StandardCharsets.UTF_8));
        for (RawRecord r : raw) {
            digest.update((byte) 0);
            digest.update(r.sourceOffset().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 1);
            digest.update(r.utf8Array(), 0, r.utf8Length());
        }
        return UUID.nameUUIDFromBytes(digest.digest());
    }

    /**
     * The id of chunk (or block) {@code chunkNo} of a source that names its batches (a file by its checksum).
     * The chunk size is part of it: after a change of the route's batch size, chunk n of a re-delivered file
     * holds other records, and under the old id it would be skipped as processed.
     */
    private static UUID keyedBatchId(IngestRequest request, String chunkSize, int chunkNo) {
        return UUID.nameUUIDFromBytes((request.routeId() + "|" + request.batchKey() + "|" + chunkSize + "|"
                + chunkNo).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public IngestResult recover(IngestRequest route) {
        IngestResult total = IngestResult.EMPTY;
        for (RawBatchInfo info : ledger.unprocessedBatches(route.routeId())) {
            // The route's own mapping, not the last request seen: after a restart nothing was seen yet,
            // and the raw columns of an ERP table or API are not the entity's fields.
            IngestRequest request = lastRequestByRoute.getOrDefault(info.routeId(), route);
            List<Map<String, String>> fields = rawFields(info.batchId());
            log.info("Recovering batch {} of route {} ({} landed records without outcome)", info.batchId(),
                    info.routeId(), fields.size());
            total = total.plus(process(new Batch(info.batchId(), info.routeId(), Entity.of(info.entity()),
                    info.receivedAt(), fields), info.source(), info.sourceRef(), request.parseOptions(),
                    request.columnMapping(), request.driftPolicy(), fields.size(), null, null));
        }
        return total;
    }

    @Override
    public io.refinery.ingestion.Preview preview(IngestRequest request, List<Map<String, String>> records) {
        DataContract contract = contracts.active(request.entity().wireName());
        Decision decision = processor.decide(new Batch(new UUID(0, 0), request.routeId(), request.entity(),
                        Instant.now(), records), contract, request.parseOptions(), request.columnMapping(),
                request.driftPolicy(), null, Map.of());
        List<String> problems = decision.quarantined().stream().map(q -> "#" + (q.recordNo() + 1) + " " + q.rule()
                + " " + q.field() + ": " + q.reason()).toList();
        List<Map<String, String>> typed = decision.cleaned().stream().limit(20).map(r -> {
            Map<String, String> m = new LinkedHashMap<>();
            r.values().forEach((k, v) -> m.put(k, String.valueOf(v)));
            return m;
        }).toList();
        return new io.refinery.ingestion.Preview(contract.id(), records.size(),
                decision.cleaned().size() + decision.duplicates().size(), decision.quarantined().size(),
                decision.duplicates().size(), decision.drift(), problems, typed);
    }

    // ---- the engine lane for plain CSV files ----------------------------------------------------

    @Override
    public Optional<IngestResult> ingestCsvFile(IngestRequest request, Supplier<String> batchKey, Path file,
                                                Charset charset, char delimiter) throws IOException {
        lastRequestByRoute.put(request.routeId(), request);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] header = CsvBlockLane.headerLine(in);
            Optional<CsvBlockLane.Plan> plan = CsvBlockLane.plan(request, contracts.active(request.entity().wireName()),
                    charset, delimiter, header);
            if (plan.isEmpty()) {
                return Optional.empty();
            }
            int blockBytes = CsvBlockLane.blockBytes(Files.size(file), ENGINE_BLOCKS_IN_FLIGHT);
            CsvBlockLane.Reader reader = new CsvBlockLane.Reader(in, plan.get(), blockBytes);
            int blockRows = Math.max(request.batchSize(), laneBlockRows);
            String blockSize = blockRows + " rows or " + blockBytes + " bytes"; // part of the block ids (keyedBatchId)
            IngestRequest keyed = null;
            Deferred deferred = new Deferred();
            IngestResult total = IngestResult.EMPTY;
            // Blocks in the engine at a time while the next is read and checked: the engine's inserts use
            // a core each, and landing, lookups and checks overlap them.
            Deque<BlockInFlight> inFlight = new ArrayDeque<>();
            // The file's plain blocks so far and their cells: a block's ids share their range with the blocks
            // before it, so its look-up would scan their lines in cleaned for nothing; it skips them and counts
            // in their cells instead (a line that moved from one to a later block left a cell among them).
            List<UUID> earlierPlainBlocks = new ArrayList<>();
            ServedLayer.DemandTouch earlierCells = new ServedLayer.DemandTouch();
            try {
                for (int no = 0; ; no++) {
                    CsvBlockLane.Block block = reader.next(blockRows);
                    if (block.rows() == 0) {
                        break;
                    }
                    if (keyed == null) {
                        // the file's checksum, hashed meanwhile by the caller: the first block is read by now
                        keyed = request.withBatchKey(batchKey.get());
                    }
                    while (inFlight.size() >= ENGINE_BLOCKS_IN_FLIGHT) {
                        total = total.plus(settle(inFlight.removeFirst(), deferred));
                    }
                    int blockNo = no;
                    UUID batchId = keyedBatchId(keyed, blockSize, no);
                    Deferred own = new Deferred();
                    IngestRequest blockRequest = keyed;
                    List<UUID> notIn = List.copyOf(earlierPlainBlocks);
                    ServedLayer.DemandTouch cellsOfEarlier = new ServedLayer.DemandTouch();
                    cellsOfEarlier.addAll(earlierCells);
                    inFlight.add(new BlockInFlight(chunkWorkers.submit(() -> ingestBlock(blockRequest, plan.get(),
                            block, batchId, blockNo, notIn, cellsOfEarlier, own)), own));
                    if (block.plain()) {
                        earlierPlainBlocks.add(batchId);
                        earlierCells.addAll(block.cells());
                    }
                }
                while (!inFlight.isEmpty()) {
                    total = total.plus(settle(inFlight.removeFirst(), deferred));
                }
            } finally {
                while (!inFlight.isEmpty()) {
                    try {
                        settle(inFlight.removeFirst(), deferred);
                    } catch (RuntimeException ignored) {
                        // the first failure is the one reported
                    }
                }
                deferred.complete();
            }
            return Optional.of(total);
        }
    }

    private record BlockInFlight(Future<IngestResult> result, Deferred deferred) {
    }

    /** Waits for a block, then takes over its outcome and served cells (refreshing once enough are collected). */
    private IngestResult settle(BlockInFlight block, Deferred deferred) {
        IngestResult result = join(block.result());
        deferred.absorb(block.deferred());
        if (deferred.records >= laneRefreshRecords) {
            deferred.complete();
        }
        return result;
    }

    /**
     * One block of the engine lane (batch {@code batchId}, the file's block {@code blockNo}): lands it, looks up
     * the cells its lines counted in before (not those of the file's earlier plain blocks {@code notIn}, whose
     * cells {@code cellsOfEarlier} are counted in instead), and has the engine type it; or leaves it to the
     * contract.
     */
    private IngestResult ingestBlock(IngestRequest request, CsvBlockLane.Plan plan, CsvBlockLane.Block block,
                                     UUID batchId, int blockNo, List<UUID> notIn,
                                     ServedLayer.DemandTouch cellsOfEarlier, Deferred deferred) {
        long started = System.nanoTime();
        String routeId = request.routeId();
        try (MDC.MDCCloseable b = MDC.putCloseable("batchId", batchId.toString());
             MDC.MDCCloseable r = MDC.putCloseable("routeId", routeId)) {
            int n = block.rows();
            metrics.count(routeId, "received", n);
            if (ledger.outcome(batchId).isPresent()) {
                return processedBefore(batchId, routeId, n);
            }
            String sourceRef = request.sourceRef() + " #" + blockNo;
            String source = request.source().wireName();
            RawRecord raw = RawRecord.ofUtf8("lines " + block.firstLine() + "-" + (block.firstLine() + n - 1),
                    block.payload(), block.payloadLength(), RawRecord.CSV_BLOCK, n);
            RawBatch rawBatch = new RawBatch(batchId, source, routeId, request.entity().wireName(), sourceRef,
                    Instant.now(), List.of(raw));
            Future<LandedBatch> landingDone = chunkWorkers.submit(() -> landing.land(rawBatch));
            // Meanwhile, the served cells the block's lines are in now, before they are replaced, as the record
            // path does (raw still comes first: nothing is written to cleaned before the landing returns).
            ServedLayer.DemandTouch touch = new ServedLayer.DemandTouch();
            if (block.plain()) {
                try {
                    cleanedWriter.addDemandCellsOfRowBinary(block.keyRows(), block.firstKey(), block.lastKey(),
                            notIn, touch);
                    touch.addAll(cellsOfEarlier);
                } catch (RuntimeException e) {
                    join(landingDone);
                    throw e;
                }
            }
            LandedBatch landed = join(landingDone);
            Instant receivedAt = landed.alreadyLanded() ? ledger.rawBatch(batchId).orElseThrow().receivedAt()
                    : rawBatch.receivedAt();
            metrics.count(routeId, "landed", n);
            if (!landed.alreadyLanded() && block.plain()) {
                long written;
                try {
                    written = inserter.insertSelect(plan.insert(batchId, receivedAt.toEpochMilli()), "CSVWithNames",
                            block.payload(), block.payloadLength());
                } catch (WarehouseException e) {
                    // a value the engine's parser refused (the reader vouched for its form, so not expected): the
                    // contract decides the block; if the warehouse is down, the contract's writes fail as well
                    log.warn("Batch {} of route {}: the engine refused the block ({}); the contract decides it",
                            batchId, routeId, e.getMessage());
                    written = -1;
                }
                if (written == n) {
                    touch.addAll(block.cells());
                    BatchOutcome outcome = new BatchOutcome(batchId, routeId, request.entity().wireName(), source,
                            sourceRef, plan.contract().id(), n, n, n, 0, 0, n, receivedAt, Instant.now());
                    deferred.demand.addAll(touch);
                    deferred.add(outcome);
                    metrics.count(routeId, "cleaned", n);
                    metrics.count(routeId, "engine", n);
                    metrics.count(routeId, "served", n);
                    events.publishEvent(new BatchIngested(batchId, routeId, request.entity(), source, sourceRef,
                            plan.contract().id(), receivedAt, Instant.now(), n, n, n, 0, 0, null));
                    metrics.batch(routeId, Duration.ofNanos(System.nanoTime() - started));
                    return new IngestResult(List.of(batchId), n, n, n, 0, 0, 0, List.of(), false);
                }
                if (written >= 0) {
                    log.warn("Batch {} of route {}: the engine typed {} of its {} sure-valid rows;"
                            + " the contract decides the block", batchId, routeId, written, n);
                }
            }
            // Not plain (or a row not sure-valid), a key twice, or a value the engine did not parse: the JVM's
            // contract decides the whole block, as landed (an earlier attempt's landing is read back). Rows the
            // engine wrote are written again with the same values and version.
            List<Map<String, String>> fields = landed.alreadyLanded() ? rawFields(batchId) : expand(raw);
            IngestResult result = process(new Batch(batchId, routeId, request.entity(), receivedAt, fields), source,
                    sourceRef, request.parseOptions(), request.columnMapping(), request.driftPolicy(), n, deferred, null);
            metrics.batch(routeId, Duration.ofNanos(System.nanoTime() - started));
            return result;
        }
    }

    /** The source records of a landed batch, one field map each: record rows decoded, CSV blocks expanded. */
    private List<Map<String, String>> rawFields(UUID batchId) {
        List<Map<String, String>> fields = new ArrayList<>();
        for (RawRecord r : landing.records(batchId)) {
            fields.addAll(expand(r));
        }
        return fields;
    }

    /** The source records a raw row holds: one decoded record, the records of a record block or the rows of a CSV block. */
    private static List<Map<String, String>> expand(RawRecord raw) {
        if (!raw.block()) {
            return List.of(Payloads.decode(raw.payload()));
        }
        if (raw.format().equals(RawRecord.RECORD_BLOCK)) {
            return Payloads.decodeBlock(raw.payload()).stream().map(SourceRecord::fields).toList();
        }
        List<Map<String, String>> fields = new ArrayList<>(raw.span());
        try {
            CsvRecords.read(new ByteArrayInputStream(raw.utf8Array(), 0, raw.utf8Length()),
                    StandardCharsets.UTF_8, ',', List.of(), record -> fields.add(record.fields()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fields;
    }

    // ---- quarantine re-process ------------------------------------------------------------------

    @Override
    public ReprocessResult reprocess(ReprocessRequest request) {
        List<QuarantineEntry> open = ledger.quarantined(request.routeId(),
                request.entity() == null ? null : request.entity().wireName(), QuarantineEntry.OPEN,
                request.batchIds(), Integer.MAX_VALUE);
        Map<UUID, List<QuarantineEntry>> byBatch = open.stream()
                .collect(Collectors.groupingBy(QuarantineEntry::batchId, LinkedHashMap::new, Collectors.toList()));
        int resolved = 0;
        int still = 0;
        for (Map.Entry<UUID, List<QuarantineEntry>> e : byBatch.entrySet()) {
            RawBatchInfo info = ledger.rawBatch(e.getKey()).orElseThrow(() -> new IllegalStateException(
                    "quarantined records of batch " + e.getKey() + " have no raw batch"));
            Entity entity = Entity.of(info.entity());
            Map<Integer, QuarantineEntry> entryByNo = new HashMap<>();
            Map<Integer, Map<String, String>> corrections = new HashMap<>();
            for (QuarantineEntry q : e.getValue()) {
                entryByNo.put(q.recordNo(), q);
                Map<String, String> correction = request.corrections().get(new RecordRef(q.batchId(), q.recordNo()));
                if (correction == null && !q.correction().isEmpty()) {
                    correction = Payloads.decode(q.correction());
                }
                if (correction != null) {
                    corrections.put(q.recordNo(), correction);
                }
            }
            IngestRequest routeRequest = lastRequestByRoute.get(info.routeId());
            List<Map<String, String>> fields = rawFields(info.batchId());
            Batch batch = new Batch(info.batchId(), info.routeId(), entity, info.receivedAt(), fields);
            DataContract contract = contracts.active(entity.wireName());
            Decision decision = processor.decide(batch, contract,
                    routeRequest == null ? ParseOptions.UTC : routeRequest.parseOptions(),
                    routeRequest == null ? Map.of() : routeRequest.columnMapping(), null, entryByNo.keySet(),
                    corrections);
            long cleaned = processor.write(cleanedWriter, entity, decision);
            Instant now = Instant.now();
            List<QuarantineEntry> updates = new ArrayList<>(decision.quarantined());
            Set<Integer> stillOpen = new HashSet<>();
            decision.quarantined().forEach(q -> stillOpen.add(q.recordNo()));
            // A record superseded within the re-processed set counts as resolved: its key was cleaned.
            Set<Integer> resolvedNos = new HashSet<>(entryByNo.keySet());
            resolvedNos.removeAll(stillOpen);
            for (int no : resolvedNos) {
                QuarantineEntry q = entryByNo.get(no);
                Map<String, String> correction = corrections.get(no);
                updates.add(new QuarantineEntry(q.batchId(), no, q.routeId(), q.entity(), contract.id(), q.rule(),
                        q.field(), q.value(), q.reason() + " — resolved by " + (request.actor() == null ? "system"
                        : request.actor()) + (correction != null ? " with a correction" : " under " + contract.id()),
                        QuarantineEntry.RESOLVED, correction == null ? "" : Payloads.encode(correction),
                        q.quarantinedAt(), now));
            }
            ledger.quarantine(updates);
            BatchOutcome outcome = ledger.outcome(info.batchId()).orElseThrow();
            ledger.recordOutcome(new BatchOutcome(outcome.batchId(), outcome.routeId(), outcome.entity(),
                    outcome.source(), outcome.sourceRef(), outcome.contract(), outcome.received(), outcome.landed(),
                    outcome.cleaned() + resolvedNos.size(), outcome.quarantined() - resolvedNos.size(),
                    outcome.duplicates(), outcome.served() + (CleanedMapping.feedsServed(entity) ? resolvedNos.size() : 0),
                    outcome.receivedAt(), now));
            metrics.count(info.routeId(), "cleaned", cleaned);
            resolved += resolvedNos.size();
            still += stillOpen.size();
        }
        return new ReprocessResult(open.size(), resolved, still);
    }

    // ---- replay ---------------------------------------------------------------------------------

    @Override
    public ReplayResult replay(ReplayRequest request) {
        List<RawBatchInfo> batches;
        if (!request.batchIds().isEmpty()) {
            batches = request.batchIds().stream().map(id -> ledger.rawBatch(id).orElseThrow(() ->
                    new IllegalArgumentException("no raw batch " + id))).toList();
        } else {
            batches = ledger.rawBatches(request.entity().wireName(), request.routeId(), request.from(), request.to());
        }
        batches = batches.stream().filter(b -> b.entity().equals(request.entity().wireName())).toList();
        ledger.deleteCleanedRows(request.entity().wireName(), batches.stream().map(RawBatchInfo::batchId).toList());
        long records = 0;
        long cleaned = 0;
        long kept = 0;
        long newly = 0;
        for (RawBatchInfo info : batches) {
            List<Map<String, String>> fields = rawFields(info.batchId());
            records += fields.size();
            // Reproduce the online decisions: open and superseded records stay out, resolved ones
            // come back with their corrections, the rest go through the contract again.
            Set<Integer> include = new HashSet<>();
            for (int i = 0; i < fields.size(); i++) {
                include.add(i);
            }
            Map<Integer, Map<String, String>> corrections = new TreeMap<>();
            for (QuarantineEntry q : ledger.quarantined(null, null, null, List.of(info.batchId()), Integer.MAX_VALUE)) {
                if (q.status().equals(QuarantineEntry.RESOLVED)) {
                    if (!q.correction().isEmpty()) {
                        corrections.put(q.recordNo(), Payloads.decode(q.correction()));
                    }
                } else {
                    include.remove(q.recordNo());
                    kept++;
                }
            }
            IngestRequest routeRequest = lastRequestByRoute.get(info.routeId());
            Decision decision = processor.decide(new Batch(info.batchId(), info.routeId(), request.entity(),
                    info.receivedAt(), fields), contracts.active(info.entity()),
                    routeRequest == null ? ParseOptions.UTC : routeRequest.parseOptions(),
                    routeRequest == null ? Map.of() : routeRequest.columnMapping(), null, include, corrections);
            cleaned += processor.write(cleanedWriter, request.entity(), decision);
            if (!decision.quarantined().isEmpty()) {
                ledger.quarantine(decision.quarantined());
                newly += decision.quarantined().size();
            }
        }
        return new ReplayResult(batches.size(), records, cleaned, kept, newly);
    }

    // ---- read side ------------------------------------------------------------------------------

    @Override
    public List<RouteTotals> counters() {
        return ledger.totals();
    }

    @Override
    public List<Reconciliation> reconcile() {
        return ledger.reconcile();
    }

    @Override
    public List<QuarantineEntry> quarantine(String routeId, Entity entity, String status, int limit) {
        return ledger.quarantined(routeId, entity == null ? null : entity.wireName(), status, List.of(), limit);
    }

    @Override
    public List<DriftEntry> driftReport(String routeId, int limit) {
        return ledger.drift(routeId, limit);
    }

    @Override
    public DataContract publishContract(String yaml) {
        return contracts.register(yaml);
    }

    @Override
    public DataContract contract(Entity entity) {
        return contracts.active(entity.wireName());
    }

    @Override
    public List<Map<String, String>> rawRecords(UUID batchId) {
        return rawFields(batchId);
    }

    Optional<IngestRequest> lastRequest(String routeId) {
        return Optional.ofNullable(lastRequestByRoute.get(routeId));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
