package io.refinery.ingestion.record;

import io.refinery.ingestion.DriftFinding;
import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionIntegrationTest;
import io.refinery.ingestion.Requests.RecordRef;
import io.refinery.ingestion.Requests.ReplayRequest;
import io.refinery.ingestion.Requests.ReplayResult;
import io.refinery.ingestion.Requests.ReprocessRequest;
import io.refinery.ingestion.Requests.ReprocessResult;
import io.refinery.ingestion.SourceKind;
import io.refinery.warehouse.ingest.IngestRecords.QuarantineEntry;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import io.refinery.warehouse.ingest.IngestRecords.RouteTotals;
import io.refinery.warehouse.ingest.IngestionLedger;
import io.refinery.warehouse.raw.RawBatch;
import io.refinery.warehouse.raw.RawLanding;
import io.refinery.warehouse.raw.RawRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@IngestionIntegrationTest
class RecordPathTest {

    @Autowired
    Ingestion ingestion;
    @Autowired
    IngestionLedger ledger;
    @Autowired
    RawLanding landing;

    static Map<String, String> sale(String id, String sku, String qty, String at) {
        return Map.of("line_id", id, "sku", sku, "location", "s1", "quantity", qty, "unit_price", "2.50",
                "ordered_at", at, "channel", "Online");
    }

    static Reconciliation reconciliationOf(Ingestion ingestion, String routeId) {
        return ingestion.reconcile().stream().filter(r -> r.routeId().equals(routeId)).findFirst().orElseThrow();
    }

    @Test
    void landsRawFirstThenCleansValidRecordsQuarantinesInvalidOnesAndCountsDuplicates() {
        String route = "rp-basic";
        List<Map<String, String>> records = List.of(
                sale("B-1", "sku-a", "3", "2025-03-01T10:00:00+01:00"),
                sale("B-2", "sku-a", "-1", "2025-03-01"),
                sale("B-3", "sku-b", "2", "2025-02-30"),
                sale("B-4", "sku-b", "1", "2025-03-02 08:00:00"),
                sale("B-4", "sku-b", "5", "2025-03-02 09:00:00"));

        IngestResult result = ingestion.ingest(IngestRequest.of(Entity.SALES_ORDER_LINES, route, SourceKind.UPLOAD,
                "test"), records);

        assertThat(result.received()).isEqualTo(5);
        assertThat(result.landed()).isEqualTo(5);
        assertThat(result.cleaned()).isEqualTo(2);
        assertThat(result.quarantined()).isEqualTo(2);
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(ingestion.rawRecords(result.batchId())).hasSize(5);
        List<QuarantineEntry> open = ingestion.quarantine(route, null, QuarantineEntry.OPEN, 100);
        assertThat(open).extracting(QuarantineEntry::rule, QuarantineEntry::field, QuarantineEntry::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("range", "quantity", "-1"),
                        org.assertj.core.groups.Tuple.tuple("type", "ordered_at", "2025-02-30"));
        assertThat(ledger.cleanedSnapshot("sales-order-lines")).anySatisfy(row -> assertThat(row)
                .startsWith("B-1\tSKU-A\tS1\t3.0000\t2.5000\t2025-03-01 09:00:00").contains("\tweb\t"))
                .anySatisfy(row -> assertThat(row).startsWith("B-4\tSKU-B\tS1\t5.0000"));
        Reconciliation reconciliation = reconciliationOf(ingestion, route);
        assertThat(reconciliation.balanced()).as(reconciliation.toString()).isTrue();
        RouteTotals totals = ingestion.counters().stream().filter(t -> t.routeId().equals(route)).findFirst().orElseThrow();
        assertThat(totals.received()).isEqualTo(5);
        assertThat(totals.cleaned()).isEqualTo(2);
        assertThat(totals.served()).isEqualTo(2);
        assertThat(ingestion.counters()).anySatisfy(t -> assertThat(t.routeId()).isEqualTo("*"));
    }

    @Test
    void aStreamedSessionRefreshesServedOnceAtTheEndIncludingCellsALaterChunkMovedALineAwayFrom() {
        String route = "rp-chunks";
        IngestRequest request = IngestRequest.of(Entity.SALES_ORDER_LINES, route, SourceKind.FILE, "chunks.csv")
                .withBatchKey("chunks-file").withBatchSize(2);
        List<Map<String, String>> records = List.of(
                sale("C-1", "sku-chunk", "4", "2025-04-01T10:00:00Z"),
                sale("C-2", "sku-chunk", "1", "2025-04-01T11:00:00Z"),
                // a later chunk corrects C-1: it moves from April 1st to April 3rd
                sale("C-1", "sku-chunk", "6", "2025-04-03T10:00:00Z"),
                sale("C-3", "sku-chunk", "2", "2025-04-03T12:00:00Z"),
                sale("C-4", "sku-chunk", "3", "2025-04-02T12:00:00Z"));
        // served already holds C-1 on April 1st from an earlier delivery
        ingestion.ingest(IngestRequest.of(Entity.SALES_ORDER_LINES, route, SourceKind.UPLOAD, "earlier"),
                List.of(sale("C-1", "sku-chunk", "4", "2025-04-01T10:00:00Z")));

        IngestResult result = ingestion.ingest(request, records);

        assertThat(result.batchIds()).hasSize(3);
        assertThat(result.cleaned()).isEqualTo(5);
        List<String> served = ledger.servedDemandSnapshot().stream().filter(r -> r.startsWith("SKU-CHUNK\t")).toList();
        assertThat(served).containsExactly("SKU-CHUNK\tS1\t2025-04-01\t1.0000\t1\t2.5000",
                "SKU-CHUNK\tS1\t2025-04-02\t3.0000\t1\t7.5000",
                "SKU-CHUNK\tS1\t2025-04-03\t8.0000\t2\t20.0000");
        Reconciliation reconciliation = reconciliationOf(ingestion, route);
        assertThat(reconciliation.unprocessedBatches()).isZero();
        assertThat(reconciliation.balanced()).as(reconciliation.toString()).isTrue();
    }

    @Test
    void aRedeliveredBatchIsRecognisedAndNotLandedTwice() {
        String route = "rp-redelivery";
        IngestRequest request = IngestRequest.of(Entity.SALES_ORDER_LINES, route, SourceKind.FILE, "orders.csv")
                .withBatchKey("sha-of-orders-csv");
        List<Map<String, String>> records = List.of(sale("R-1", "sku-r", "1", "2025-01-01"),
                sale("R-2", "sku-r", "2", "2025-01-01"));

        IngestResult first = ingestion.ingest(request, records);
        IngestResult second = ingestion.ingest(request, records);

        assertThat(second.batchIds()).isEqualTo(first.batchIds());
        assertThat(second.skipped()).isEqualTo(2);
        assertThat(second.landed()).isZero();
        Reconciliation reconciliation = reconciliationOf(ingestion, route);
        assertThat(reconciliation.landedRecords()).isEqualTo(2);
        assertThat(reconciliation.balanced()).isTrue();
    }

    @Test
    void aBatchLandedByACrashedAttemptIsProcessedFromRawOnRedelivery() {
        String route = "rp-crash";
        IngestRequest request = IngestRequest.of(Entity.LOCATIONS, route, SourceKind.FILE, "locations.csv")
                .withBatchKey("crashed-file");
        UUID batchId = UUID.nameUUIDFromBytes((route + "|crashed-file|" + request.batchSize() + "|0").getBytes());
        // The crashed attempt got as far as landing raw, then died before cleaning.
        landing.land(new RawBatch(batchId, "file", route, "locations", "locations.csv", Instant.now(), List.of(
                new RawRecord("1", "{\"location\":\"crash-1\",\"name\":\"Crash One\",\"region\":\"north\"}"))));
        assertThat(reconciliationOf(ingestion, route).unprocessedBatches()).isEqualTo(1);

        IngestResult result = ingestion.ingest(request, List.of(Map.of("location", "crash-1", "name", "Crash One",
                "region", "north")));

        assertThat(result.batchId()).isEqualTo(batchId);
        assertThat(result.cleaned()).isEqualTo(1);
        assertThat(reconciliationOf(ingestion, route).balanced()).isTrue();
        assertThat(ledger.cleanedSnapshot("locations")).anySatisfy(r -> assertThat(r).startsWith("CRASH-1\tCrash One\tnorth"));
    }

    @Test
    void aCorrectedValueReprocessesAQuarantinedRecordFromRawAndTheQuarantineKeepsItsHistory() {
        String route = "rp-correct";
        IngestResult result = ingestion.ingest(IngestRequest.of(Entity.SALES_ORDER_LINES, route, SourceKind.UPLOAD,
                "fix"), List.of(sale("C-1", "sku-c", "abc", "2025-04-01"), sale("C-2", "sku-c", "1", "2025-04-01")));
        assertThat(result.quarantined()).isEqualTo(1);

        ReprocessResult reprocessed = ingestion.reprocess(new ReprocessRequest(route, null, null,
                Map.of(new RecordRef(result.batchId(), 0), Map.of("quantity", "4")), "alice"));

        assertThat(reprocessed.resolved()).isEqualTo(1);
        assertThat(ingestion.quarantine(route, null, QuarantineEntry.OPEN, 10)).isEmpty();
        List<QuarantineEntry> resolved = ingestion.quarantine(route, null, QuarantineEntry.RESOLVED, 10);
        assertThat(resolved).singleElement().satisfies(q -> {
            assertThat(q.value()).isEqualTo("abc");
            assertThat(q.correction()).contains("\"quantity\":\"4\"");
            assertThat(q.reason()).contains("alice");
        });
        assertThat(ledger.cleanedSnapshot("sales-order-lines")).anySatisfy(r -> assertThat(r).startsWith("C-1\tSKU-C\tS1\t4.0000"));
        assertThat(ingestion.rawRecords(result.batchId()).getFirst()).containsEntry("quantity", "abc");
        assertThat(reconciliationOf(ingestion, route).balanced()).isTrue();
    }

    @Test
    void aNewContractVersionLetsTheQuarantineBeReprocessed() {
        String route = "rp-contract";
        IngestResult result = ingestion.ingest(IngestRequest.of(Entity.PRODUCTS, route, SourceKind.UPLOAD, "p"),
                List.of(Map.of("sku", "p-dozen", "name", "Eggs", "category", "Dairy", "unit", "dozen")));
        assertThat(result.quarantined()).isEqualTo(1);

        String v1 = new String(readResource("contracts/products.v1.yaml"));
        // v2 = v1 plus the unit DZ (and its spelling DOZEN), whatever else v1 allows.
        ingestion.publishContract(v1.replace("version: 1", "version: 2")
                .replaceFirst("(allowed: \\[[^\\]]*)\\]", "$1, DZ]")
                .replaceFirst("(synonyms: \\{[^}]*)}", "$1, DOZEN: DZ}"));
        ReprocessResult reprocessed = ingestion.reprocess(new ReprocessRequest(route, Entity.PRODUCTS, null, null, "bob"));

        assertThat(reprocessed.resolved()).as(reprocessed + " " + ingestion.quarantine(route, null, null, 10)
                + " " + ingestion.contract(Entity.PRODUCTS)).isEqualTo(1);
        assertThat(ingestion.contract(Entity.PRODUCTS).version()).isEqualTo(2);
        assertThat(ledger.cleanedSnapshot("products")).anySatisfy(r -> assertThat(r).startsWith("P-DOZEN\tEggs\tdairy\tDZ"));
        assertThat(reconciliationOf(ingestion, route).balanced()).isTrue();
    }

    @Test
    void driftIsFlaggedQuarantinedOrStopsTheRouteAsItsPolicySays() {
        List<Map<String, String>> drifted = List.of(Map.of("line_no", "D-1", "sku", "d", "location", "s1",
                "quantity", "1", "ordered_at", "2025-05-01", "discount", "0.1"));

        IngestResult flagged = ingestion.ingest(IngestRequest.of(Entity.SALES_ORDER_LINES, "rp-drift-flag",
                SourceKind.FILE, "x").withDriftPolicy(DriftPolicy.ACCEPT_AND_FLAG), drifted);
        IngestResult quarantined = ingestion.ingest(IngestRequest.of(Entity.SALES_ORDER_LINES, "rp-drift-quarantine",
                SourceKind.FILE, "x").withDriftPolicy(DriftPolicy.QUARANTINE), drifted);
        IngestResult stopped = ingestion.ingest(IngestRequest.of(Entity.SALES_ORDER_LINES, "rp-drift-stop",
                SourceKind.FILE, "x").withDriftPolicy(DriftPolicy.STOP), drifted);

        assertThat(flagged.cleaned()).isEqualTo(1);
        assertThat(flagged.drift()).extracting(DriftFinding::change, DriftFinding::column).contains(
                org.assertj.core.groups.Tuple.tuple("renamed-column", "line_no"),
                org.assertj.core.groups.Tuple.tuple("new-column", "discount"),
                org.assertj.core.groups.Tuple.tuple("missing-column", "unit_price"));
        assertThat(quarantined.quarantined()).isEqualTo(1);
        assertThat(quarantined.stopRequested()).isFalse();
        assertThat(ingestion.quarantine("rp-drift-quarantine", null, null, 10)).singleElement()
                .satisfies(q -> assertThat(q.rule()).isEqualTo("schema-drift"));
        assertThat(stopped.stopRequested()).isTrue();
        assertThat(ingestion.driftReport("rp-drift-stop", 10)).isNotEmpty()
                .allSatisfy(d -> assertThat(d.action()).isEqualTo("quarantined-and-stopped"));
        assertThat(ingestion.driftReport("rp-drift-flag", 10)).allSatisfy(d -> assertThat(d.action()).isEqualTo("flagged"));
    }

    @Test
    void aReplayRebuildsCleanedAndServedRowsIdenticalToTheOnlineResult() {
        String route = "rp-replay";
        ingestion.ingest(IngestRequest.of(Entity.SALES_ORDER_LINES, route, SourceKind.DEMO, "day1"), List.of(
                sale("RP-1", "sku-rp", "1", "2025-06-01T10:00:00Z"), sale("RP-2", "sku-rp", "2", "2025-06-01T11:00:00Z"),
                sale("RP-3", "sku-rq", "bad", "2025-06-02")));
        IngestResult day2 = ingestion.ingest(IngestRequest.of(Entity.SALES_ORDER_LINES, route, SourceKind.DEMO, "day2"),
                List.of(sale("RP-2", "sku-rp", "7", "2025-06-02T11:00:00Z"), sale("RP-4", "sku-rq", "3", "2025-06-02")));
        ingestion.reprocess(new ReprocessRequest(route, null, null, Map.of(), "replay-test"));
        List<String> cleanedBefore = ledger.cleanedSnapshot("sales-order-lines");
        List<String> servedBefore = ledger.servedDemandSnapshot();

        ReplayResult replay = ingestion.replay(new ReplayRequest(Entity.SALES_ORDER_LINES, route, null, null, null));

        assertThat(replay.batches()).isEqualTo(2);
        assertThat(replay.keptInQuarantine()).isEqualTo(1);
        assertThat(ledger.cleanedSnapshot("sales-order-lines")).isEqualTo(cleanedBefore);
        assertThat(ledger.servedDemandSnapshot()).isEqualTo(servedBefore);
        assertThat(servedBefore).anySatisfy(r -> assertThat(r).startsWith("SKU-RP\tS1\t2025-06-02\t7.0000\t1"));

        ReplayResult single = ingestion.replay(ReplayRequest.batches(Entity.SALES_ORDER_LINES, day2.batchIds()));
        assertThat(single.cleaned()).isEqualTo(2);
        assertThat(ledger.cleanedSnapshot("sales-order-lines")).isEqualTo(cleanedBefore);
        assertThat(reconciliationOf(ingestion, route).balanced()).isTrue();
    }

    private static byte[] readResource(String name) {
        try (var in = RecordPathTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
