package io.refinery.ops.bench.ingestion;

import io.refinery.warehouse.BulkInserter;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ceiling of the engine lane ({@code CsvBlockLane} in ingestion-routes), measured before it was built and
 * kept beside it: the file's raw layer as <em>blocks</em> (one raw row per block of source rows: the header
 * and the rows exactly as received, SHA-256 of the block, LZ4) instead of one raw row per record, and the
 * rows typed into cleaned by the engine from each block, with none of the lane's checks (until 2026-12-07 the
 * engine also applied the sure-valid predicate, which the lane now checks in the JVM as it reads).
 * Measured because the per-record raw layer alone costs more than the baseline insert (see
 * {@code ops/benchmarks/ingestion/2026-11-22-csv-engine-ceiling.md}).
 *
 * <p>What it does, per block of {@code blockRows} rows: the JVM reads and splits the file on row ends
 * outside quotes, hashes the block, lands it as one raw row (RowBinary) and hands it to the engine
 * (here as a file beside the source, as an embedded engine or a server's {@code input()} would read
 * it), which types and inserts the rows; two blocks in the engine at a time. What a real lane adds and
 * this leaves out: the JVM's decision over doubtful rows and in-block duplicate keys (only when a block
 * has them: the engine's written-row count tells), the batch manifest and hash chain (one row per
 * block), outcomes and the served refresh.
 */
final class BlockLaneCeiling {

    private static final String STRUCTURE = "line_id String, sku String, location String, quantity String,"
            + " unit_price String, ordered_at String, channel String";

    private BlockLaneCeiling() {
    }

    static String measure(DataSource warehouse, BulkInserter inserter, Path csv, long lines, int blockRows,
                          double baselineSeconds) throws Exception {
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_raw_blocks AS raw_records");
            s.execute("ALTER TABLE bench_raw_blocks MODIFY COLUMN payload String CODEC(LZ4)");
            s.execute("CREATE TABLE bench_block_cleaned AS sales_order_lines");
        }
        Path blocks = Files.createDirectories(csv.resolveSibling("blocks"));
        ExecutorService engine = Executors.newFixedThreadPool(2);
        List<Future<?>> inEngine = new ArrayList<>();
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        HexFormat hex = HexFormat.of();
        long rows = 0;
        long t0 = System.nanoTime();
        try (BlockReader reader = new BlockReader(Files.newInputStream(csv))) {
            byte[] header = reader.header();
            for (int no = 0; ; no++) {
                ByteArrayOutputStream block = new ByteArrayOutputStream(blockRows * 64);
                block.write(header);
                int n = reader.nextBlock(block, blockRows);
                if (n == 0) {
                    break;
                }
                byte[] payload = block.toByteArray();
                String hash = hex.formatHex(sha256.digest(payload));
                UUID batchId = UUID.randomUUID();
                long first = rows + 2;
                int blockNo = no;
                inserter.insertRowBinary("bench_raw_blocks", List.of("batch_id", "record_no", "source", "route_id",
                        "entity", "source_offset", "received_at", "payload", "payload_hash", "payload_format", "record_span"),
                        w -> w.uuid(batchId)
                        .uint32(0).string("file").string("bench").string("sales-order-lines")
                        .string("lines " + first + "-" + (first + n - 1)).dateTime64Millis(Instant.now())
                        .bytes(payload).string(hash).string("csv-block").uint32(n));
                rows += n;
                Path file = Files.write(blocks.resolve("block-" + blockNo + ".csv"), payload);
                while (inEngine.size() >= 2) {
                    inEngine.removeFirst().get();
                }
                inEngine.add(engine.submit(() -> {
                    try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
                        s.setEscapeProcessing(false);
                        s.execute(IngestionBenchmark.typedInsert("bench_block_cleaned",
                                "file('" + file + "', 'CSVWithNames', '" + STRUCTURE + "')",
                                "toUUID('" + batchId + "')", false));
                    }
                    Files.delete(file);
                    return null;
                }));
            }
            for (Future<?> f : inEngine) {
                f.get();
            }
        } finally {
            engine.shutdown();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cleaned;
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count() FROM bench_block_cleaned")) {
            rs.next();
            cleaned = rs.getLong(1);
        }
        return String.format("block-lane ceiling (raw as blocks of %,d rows, rows typed into cleaned by the engine"
                        + " per block): %.1f s for %,d rows (%,d typed) = %,.0f rows/s = %.0f %% of the"
                        + " engine's file() insert", blockRows, seconds, rows, cleaned, lines / seconds,
                100 * baselineSeconds / seconds);
    }

    /** Reads CSV bytes in blocks of whole rows: a row ends at a line feed outside double quotes. */
    private static final class BlockReader implements AutoCloseable {
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 20];
        private int position;
        private int limit;
        /** Bytes of a row begun but not ended yet. */
        private long pending;

        BlockReader(InputStream in) {
            this.in = in;
        }

        byte[] header() throws IOException {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            nextBlock(header, 1);
            return header.toByteArray();
        }

        /** Appends up to {@code maxRows} whole rows to {@code out}; returns how many. */
        int nextBlock(ByteArrayOutputStream out, int maxRows) throws IOException {
            int rows = 0;
            boolean quoted = false;
            while (rows < maxRows) {
                if (position == limit && !fill()) {
                    if (pending > 0) {
                        rows++; // a last row without a line feed (or with an unclosed quote) is still a row
                        pending = 0;
                    }
                    break;
                }
                int start = position;
                while (position < limit && rows < maxRows) {
                    byte b = buffer[position++];
                    if (b == '"') {
                        quoted = !quoted;
                    } else if (b == '\n' && !quoted) {
                        rows++;
                        pending = -1;
                    }
                    pending++;
                }
                out.write(buffer, start, position - start);
            }
            return rows;
        }

        private boolean fill() throws IOException {
            limit = in.read(buffer);
            position = 0;
            if (limit < 0) {
                limit = 0;
                return false;
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
