package io.refinery.ingestion.record;

import io.micrometer.core.instrument.MeterRegistry;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionIntegrationTest;
import io.refinery.ingestion.Requests.ReplayRequest;
import io.refinery.ingestion.Requests.ReplayResult;
import io.refinery.ingestion.SourceKind;
import io.refinery.warehouse.ingest.IngestRecords.QuarantineEntry;
import io.refinery.warehouse.ingest.IngestRecords.Reconciliation;
import io.refinery.warehouse.ingest.IngestionLedger;
import io.refinery.warehouse.raw.RawChainVerifier;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The engine lane against the contract it compiles: the same raw blocks decided by the JVM (a replay
 * rebuilds cleaned from raw through the contract) must give exactly the rows the engine wrote.
 */
@IngestionIntegrationTest
class CsvBlockLaneTest {

    private static final String HEADER = "line_id,sku,location,quantity,unit_price,ordered_at,channel\n";

    @Autowired
    Ingestion ingestion;
    @Autowired
    IngestionLedger ledger;
    @Autowired
    RawChainVerifier verifier;
    @Autowired
    DSLContext dsl;
    @Autowired
    MeterRegistry meters;

    @TempDir
    Path dir;

    @Test
    void plainBlocksAreTypedByTheEngineExactlyAsTheContractTypesThem() throws Exception {
        String route = "lane-plain";
        StringBuilder csv = new StringBuilder(HEADER);
        String[] channels = {"store", "WEB", "online", "", "b2b", "Retail"};
        String[] times = {"2025-03-01T10:15Z", "2025-02-28T23:59:59Z", "2024-02-29T00:00:00.125Z"};
        String[] quantities = {"1", "0", "12.5", "3.1415", "-0", "1000000000", "007"};
        for (int i = 0; i < 2_500; i++) {
            csv.append("LP-").append(i).append(",sku-").append(i % 37).append(",s").append(i % 5).append(',')
                    .append(quantities[i % quantities.length]).append(',').append(i % 4 == 0 ? "" : (i % 13) + ".99")
                    .append(',').append(times[i % times.length]).append(',').append(channels[i % channels.length])
                    .append('\n');
        }
        Path file = Files.writeString(dir.resolve("plain.csv"), csv);

        IngestResult result = lane(route, file, 1_000).orElseThrow();

        assertThat(result.received()).isEqualTo(2_500);
        assertThat(result.cleaned()).isEqualTo(2_500);
        assertThat(result.batchIds()).hasSize(3);
        assertThat(typedByEngine(route)).as("every block typed by the engine, none by the JVM").isEqualTo(2_500);
        assertThat(((Number) dsl.fetchValue("SELECT count() FROM raw_records WHERE route_id = {0}", route)).longValue())
                .as("one raw row per block").isEqualTo(3L);
        assertThat(verifier.verify(route).ok()).isTrue();
        assertThat(verifier.verify(route).records()).isEqualTo(2_500);
        Reconciliation reconciliation = reconciliationOf(route);
        assertThat(reconciliation.balanced()).as(reconciliation.toString()).isTrue();
        assertThat(reconciliation.landedRecords()).isEqualTo(2_500);
        List<String> byEngine = rowsOf("LP-");
        assertThat(byEngine).hasSize(2_500).anySatisfy(r -> assertThat(r)
                .startsWith("LP-2\tSKU-2\tS2\t12.5000\t2.9900\t2024-02-29 00:00:00.125\tweb\t"));

        ingestion.replay(new ReplayRequest(Entity.SALES_ORDER_LINES, route, null, null, null));

        assertThat(rowsOf("LP-")).as("the contract in the JVM, from the same raw blocks").isEqualTo(byEngine);
    }

    @Test
    void aLargeFileIsCutIntoBlocksOfOneSizeAsManyAsTheEngineTypesAtATime() throws Exception {
        String route = "lane-even";
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; csv.length() <= CsvBlockLane.SINGLE_BLOCK_BYTES + (1 << 20); i++) {
            // lines of their own: the edges' test compares every "LE-" line
            csv.append("LV-").append(i).append(",sku-").append(i % 11).append(",s1,").append(i % 9 + 1)
                    .append(",1.50,2025-03-01T10:15:00Z,store\n");
        }
        long lines = csv.chars().filter(c -> c == '\n').count() - 1;
        Path file = Files.writeString(dir.resolve("even.csv"), csv);

        IngestResult result = lane(route, file, 1_000_000).orElseThrow();

        assertThat(result.batchIds()).as("one block would run on one of the engine's two lanes alone").hasSize(2);
        assertThat(typedByEngine(route)).isEqualTo((double) lines);
        List<Long> spans = dsl.fetch("SELECT record_span FROM raw_records WHERE route_id = {0}", route)
                .getValues(0, Long.class);
        assertThat(spans).hasSize(2).allSatisfy(span -> assertThat(span).isCloseTo(lines / 2, within(lines / 100)));
        assertThat(reconciliationOf(route).balanced()).isTrue();
    }

    @Test
    void blocksAreAtMostTheCapAndComeInMultiplesOfTheBlocksAtATime() {
        assertThat(CsvBlockLane.blockBytes(1_000, 2)).as("a small file is one block").isEqualTo(CsvBlockLane.BLOCK_BYTES);
        for (long size = CsvBlockLane.SINGLE_BLOCK_BYTES + 1; size < 4L << 30; size = size * 3 / 2 + 12_345) {
            for (int atATime = 1; atATime <= 3; atATime++) {
                int blockBytes = CsvBlockLane.blockBytes(size, atATime);
                assertThat(blockBytes).isPositive().isLessThanOrEqualTo(CsvBlockLane.BLOCK_BYTES);
                assertThat(Math.ceilDiv(size, blockBytes) % atATime).as(size + " bytes, " + atATime).isZero();
            }
        }
    }

    @Test
    void everyRowTheReaderVouchesForIsTypedByTheEngineExactlyAsTheContractDecidesIt() throws Exception {
        String route = "lane-edges";
        List<SureValidRowTest.Edge> edges = new ArrayList<>(SureValidRowTest.EDGES);
        edges.addAll(SureValidRowTest.futureEdges(LocalDate.now(ZoneOffset.UTC)));
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < edges.size(); i++) {
            csv.append(String.join(",", SureValidRowTest.row(edges.get(i), i).values())).append('\n');
        }
        Path file = Files.writeString(dir.resolve("edges.csv"), csv);

        // a block per row: each row the form vouches for is typed by the engine, every other by the contract
        IngestResult result = lane(route, file, 1).orElseThrow();

        long vouched = edges.stream().filter(SureValidRowTest.Edge::vouched).count();
        assertThat(result.received()).isEqualTo(edges.size());
        assertThat(typedByEngine(route)).isEqualTo((double) vouched);
        assertThat(result.cleaned() + result.quarantined()).as(result.toString()).isEqualTo(edges.size());
        List<String> online = rowsOf("LE-");
        Set<String> quarantinedOnline = openQuarantine(route);
        assertThat(online).hasSize((int) result.cleaned());

        // The contract decides every row again from the raw blocks: the engine's rows are exactly its rows.
        ReplayResult replay = ingestion.replay(new ReplayRequest(Entity.SALES_ORDER_LINES, route, null, null, null));

        assertThat(replay.newlyQuarantined()).as("no row the engine wrote is one the contract refuses").isZero();
        assertThat(rowsOf("LE-")).isEqualTo(online);
        assertThat(openQuarantine(route)).isEqualTo(quarantinedOnline);
    }

    @Test
    void blocksTheEngineCannotVouchForAreDecidedWholeByTheContract() throws Exception {
        String route = "lane-doubtful";
        String csv = HEADER
                // block 0: plain and valid
                + "LD-1,a,s1,1,,2025-03-01T10:00:00Z,store\n"
                + "LD-2,b,s1,2,,2025-03-01T10:00:00Z,web\n"
                // block 1: a quoted value (not plain) and a negative quantity
                + "\"LD-3\",c,s1,3,,2025-03-01T10:00:00Z,store\n"
                + "LD-4,d,s1,-1,,2025-03-01T10:00:00Z,store\n"
                // block 2: plain, but a day that does not exist and a key twice
                + "LD-5,e,s1,5,,2025-02-30T10:00:00Z,store\n"
                + "LD-6,f,s1,6,,2025-03-01T10:00:00Z,store\n"
                // block 3: plain, valid date-times in forms the engine does not vouch for, and a key twice
                + "LD-7,g,s1,7,,2025-03-01T10:00:00+01:00,store\n"
                + "LD-7,h,s1,8,,2025-03-01 10:00:00,phone\n";
        Path file = Files.writeString(dir.resolve("doubtful.csv"), csv);

        IngestResult result = lane(route, file, 2).orElseThrow();

        assertThat(result.received()).isEqualTo(8);
        assertThat(result.cleaned()).as(result.toString()).isEqualTo(5); // LD-1, 2, 3, 6 and the later LD-7
        assertThat(result.quarantined()).isEqualTo(2); // LD-4 range, LD-5 type
        assertThat(result.duplicates()).isEqualTo(1); // the first LD-7
        assertThat(typedByEngine(route)).as("block 0 only").isEqualTo(2);
        assertThat(ingestion.quarantine(route, null, QuarantineEntry.OPEN, 10))
                .extracting(QuarantineEntry::rule, QuarantineEntry::field)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("range", "quantity"),
                        org.assertj.core.groups.Tuple.tuple("type", "ordered_at"));
        assertThat(rowsOf("LD-")).hasSize(5).anySatisfy(r -> assertThat(r)
                .startsWith("LD-7\tH\tS1\t8.0000\tnull\t2025-03-01 10:00:00"));
        Reconciliation reconciliation = reconciliationOf(route);
        assertThat(reconciliation.balanced()).as(reconciliation.toString()).isTrue();
    }

    @Test
    void aLineThatALaterFileMovesLeavesTheServedCellItCountedInBefore() throws Exception {
        String route = "lane-moves";
        Path first = Files.writeString(dir.resolve("first.csv"), HEADER
                + "LM-1,lm-a,s1,5,,2025-04-01T10:00:00Z,store\n"
                + "LM-2,LM-A,s1,1,,2025-04-01T11:00:00Z,store\n");
        Path second = Files.writeString(dir.resolve("second.csv"), HEADER
                + "LM-1,lm-b,s1,5,,2025-04-02T10:00:00Z,store\n");

        lane(route, first, 10).orElseThrow();
        assertThat(served("LM-A", "2025-04-01")).as("two spellings of one SKU, one cell").isEqualTo("6");
        lane(route, second, 10).orElseThrow();

        assertThat(typedByEngine(route)).as("both files typed by the engine").isEqualTo(3);
        assertThat(served("LM-A", "2025-04-01")).as("the cell LM-1 left").isEqualTo("1");
        assertThat(served("LM-B", "2025-04-02")).as("the cell LM-1 moved to").isEqualTo("5");
    }

    @Test
    void aLineThatALaterBlockOfTheSameFileMovesLeavesItsCellEvenWhenServedWasRefreshedBetween() throws Exception {
        String route = "lane-within";
        // blocks of two lines; the test context refreshes served every two records, so block 0's cells are
        // refreshed (LW-1 still in lw-a) before block 2 moves LW-1 to lw-c
        Path file = Files.writeString(dir.resolve("within.csv"), HEADER
                + "LW-1,lw-a,s1,5,,2025-06-01T10:00:00Z,store\n"
                + "LW-2,lw-a,s1,1,,2025-06-01T11:00:00Z,store\n"
                + "LW-3,lw-b,s1,2,,2025-06-03T10:00:00Z,store\n"
                + "LW-4,lw-b,s1,1,,2025-06-03T11:00:00Z,store\n"
                + "LW-1,lw-c,s1,5,,2025-06-05T10:00:00Z,store\n"
                + "LW-5,lw-c,s1,1,,2025-06-05T11:00:00Z,store\n");
        double lookUps = lookUps();

        IngestResult result = lane(route, file, 2).orElseThrow();

        assertThat(result.batchIds()).hasSize(3);
        assertThat(typedByEngine(route)).isEqualTo(6);
        assertThat(lookUps()).as("the ids' range holds only lines of the file's earlier blocks: not looked up")
                .isEqualTo(lookUps);
        assertThat(served("LW-A", "2025-06-01")).as("the cell LW-1 left").isEqualTo("1");
        assertThat(served("LW-B", "2025-06-03")).isEqualTo("3");
        assertThat(served("LW-C", "2025-06-05")).as("the cell LW-1 moved to").isEqualTo("6");
    }

    @Test
    void linesWhoseIdsNoLineOfTheTableLiesBetweenAreNotLookedUpAndARedeliveredLineIs() throws Exception {
        String route = "lane-range";
        Path first = Files.writeString(dir.resolve("range-1.csv"), HEADER
                + "LRANGE-0001,lr-a,s1,2,,2025-05-01T10:00:00Z,store\n"
                + "LRANGE-0002,lr-a,s1,3,,2025-05-01T11:00:00Z,store\n");
        Path second = Files.writeString(dir.resolve("range-2.csv"), HEADER
                + "LRANGE-0002,lr-a,s1,3,,2025-05-02T11:00:00Z,store\n"
                + "LRANGE-0003,lr-a,s1,4,,2025-05-02T12:00:00Z,store\n");
        double lookUps = lookUps();

        lane(route, first, 10).orElseThrow();
        assertThat(lookUps()).as("new ids beyond the table's: nothing to look up").isEqualTo(lookUps);
        assertThat(served("LR-A", "2025-05-01")).isEqualTo("5");

        lane(route, second, 10).orElseThrow();
        assertThat(lookUps()).as("LRANGE-0002 is in the table: looked up").isEqualTo(lookUps + 1);
        assertThat(served("LR-A", "2025-05-01")).as("the cell LRANGE-0002 left").isEqualTo("2");
        assertThat(served("LR-A", "2025-05-02")).isEqualTo("7");
    }

    @Test
    void aTimeThatDoesNotExistSendsItsBlockToTheContract() throws Exception {
        String route = "lane-times";
        Path file = Files.writeString(dir.resolve("times.csv"), HEADER
                + "LT-1,a,s1,1,,2025-03-01T24:00:00Z,store\n"
                + "LT-2,a,s1,1,,2025-03-01T10:60:00Z,store\n"
                + "LT-3,a,s1,1,,2025-03-01T10:00:61Z,store\n"
                + "LT-4,a,s1,1,,2025-03-01T23:59:59Z,store\n");

        IngestResult result = lane(route, file, 10).orElseThrow();

        assertThat(typedByEngine(route)).as("the engine vouches for none of the block").isZero();
        assertThat(result.cleaned()).as(result.toString()).isEqualTo(1);
        assertThat(result.quarantined()).isEqualTo(3);
        assertThat(ingestion.quarantine(route, null, QuarantineEntry.OPEN, 10)).extracting(QuarantineEntry::field)
                .containsOnly("ordered_at");
    }

    @Test
    void filesTheLaneDoesNotHandleAreLeftToTheRecordPath() throws Exception {
        Path mapped = Files.writeString(dir.resolve("mapped.csv"), "item,line_id\nA,X-1\n");
        Path latin = Files.write(dir.resolve("latin.csv"), HEADER.getBytes(StandardCharsets.US_ASCII));

        assertThat(lane("lane-other", mapped, 10)).isEmpty();
        assertThat(ingestion.ingestCsvFile(IngestRequest.of(Entity.PRODUCTS, "lane-other", SourceKind.FILE, "p.csv"),
                () -> "p", latin, StandardCharsets.UTF_8, ',')).isEmpty();
        assertThat(ingestion.ingestCsvFile(IngestRequest.of(Entity.SALES_ORDER_LINES, "lane-other", SourceKind.FILE,
                "s.csv"), () -> "s", latin, StandardCharsets.ISO_8859_1, ',')).isEmpty();
    }

    private Optional<IngestResult> lane(String route, Path file, int blockRows) throws Exception {
        IngestRequest request = IngestRequest.of(Entity.SALES_ORDER_LINES, route, SourceKind.FILE,
                file.getFileName().toString()).withBatchSize(blockRows);
        return ingestion.ingestCsvFile(request, () -> file.getFileName().toString(), file, StandardCharsets.UTF_8, ',');
    }

    private Set<String> openQuarantine(String route) {
        return ingestion.quarantine(route, null, QuarantineEntry.OPEN, 1_000).stream()
                .map(q -> q.batchId() + "#" + q.recordNo() + ":" + q.rule() + ":" + q.field())
                .collect(Collectors.toSet());
    }

    private String served(String sku, String day) {
        return String.valueOf(dsl.fetchValue("SELECT toString(sum(quantity)) FROM demand_daily FINAL WHERE sku = {0}"
                + " AND day = toDate({1})", sku, day));
    }

    /** Look-ups of the served cells lines were in: inserts that send a block's line ids to the engine. */
    private double lookUps() {
        return meters.find("refinery.warehouse.query").tag("operation", "ServedLayer.lookUpDemandCells")
                .tag("kind", "insert").timers().stream().mapToDouble(t -> t.count()).sum();
    }

    private double typedByEngine(String route) {
        var counter = meters.find("refinery.ingestion.records").tag("route", route).tag("stage", "engine").counter();
        return counter == null ? 0 : counter.count();
    }

    private List<String> rowsOf(String prefix) {
        return ledger.cleanedSnapshot("sales-order-lines").stream().filter(r -> r.startsWith(prefix)).toList();
    }

    private Reconciliation reconciliationOf(String route) {
        return ingestion.reconcile().stream().filter(r -> r.routeId().equals(route)).findFirst().orElseThrow();
    }
}
