package io.refinery.ingestion.record;

import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.contract.DataContract;
import io.refinery.ingestion.contract.FieldSpec;
import io.refinery.warehouse.served.ServedLayer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The engine lane for plain CSV files: the file is cut into blocks of whole rows; each block lands raw as
 * one payload (its header line and rows exactly as received), and the engine types the block's rows into
 * cleaned with the contract compiled to SQL ({@link SureValidSql}). A block goes to the JVM's contract
 * instead — whole, so in-batch dedup and quarantine are decided exactly as on the record path — when it is
 * not plain (quotes, bytes outside printable ASCII, a wrong number of values, an empty line), when two of
 * its rows share a key, or when the engine wrote fewer rows than the block holds.
 *
 * <p>Only for sales order lines, whose cleaned columns are the contract's fields and whose served cells
 * the lane can name from the rows; other entities, options that change how values are read (date
 * patterns, delimiters, encodings beyond ASCII) and headers that need mapping keep the record path.
 */
final class CsvBlockLane {

    /** What a file's blocks are checked and typed with, fixed by its header. */
    record Plan(DataContract contract, List<String> columns, SureValidSql.Compiled sql, int[] keyColumns,
                List<List<String>> keyNormalize, int skuColumn, List<String> skuNormalize, int orderedAtColumn,
                byte[] headerLine) {

        /** The INSERT that types a block's sure-valid rows into cleaned, with the batch's lineage. */
        String insert(UUID batchId, long version) {
            String structure = columns.stream().map(c -> SureValidSql.ident(c) + " String")
                    .collect(Collectors.joining(", "));
            String target = contract.fields().stream().map(f -> SureValidSql.ident(f.name()))
                    .collect(Collectors.joining(", "));
            String typed = contract.fields().stream().map(f -> SureValidSql.ident("v_" + f.name()))
                    .collect(Collectors.joining(", "));
            return "INSERT INTO sales_order_lines (" + target + ", batch_id, record_no, version) SELECT " + typed
                    + ", toUUID('" + batchId + "'), record_no, " + version + " FROM (SELECT *, "
                    + String.join(", ", sql.values()) + " FROM (SELECT *, toUInt32(rowNumberInAllBlocks()) AS record_no"
                    + " FROM input(" + SureValidSql.literal(structure) + "))) WHERE " + sql.predicate();
        }
    }

    /** Rows of one block: the payload to land (header line first) and what the pre-scan found. */
    record Block(byte[] payload, int rows, long firstLine, boolean plain, Set<String> keys,
                 ServedLayer.DemandTouch cells) {
    }

    private CsvBlockLane() {
    }

    /** The plan for a file with this header line, or empty when the lane does not apply. */
    static Optional<Plan> plan(IngestRequest request, DataContract contract, Charset charset, char delimiter,
                               byte[] headerLine) {
        if (request.entity() != Entity.SALES_ORDER_LINES || delimiter != ','
                || !(charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII))
                || request.parseOptions().datePattern() != null || request.parseOptions().dateTimePattern() != null
                || !request.columnMapping().isEmpty()) {
            return Optional.empty();
        }
        int end = headerLine.length;
        if (end > 0 && headerLine[end - 1] == '\n') {
            end--;
        }
        for (int i = 0; i < end; i++) {
            if (headerLine[i] < 0x20 || headerLine[i] > 0x7e || headerLine[i] == '"') {
                return Optional.empty();
            }
        }
        List<String> columns = Arrays.asList(new String(headerLine, 0, end, StandardCharsets.US_ASCII).split(",", -1));
        Set<String> fields = contract.fields().stream().map(FieldSpec::name).collect(Collectors.toSet());
        if (columns.size() != fields.size() || !new HashSet<>(columns).equals(fields)) {
            return Optional.empty();
        }
        Optional<SureValidSql.Compiled> sql = SureValidSql.compile(contract);
        if (sql.isEmpty()) {
            return Optional.empty();
        }
        int[] keyColumns = contract.key().stream().mapToInt(columns::indexOf).toArray();
        List<List<String>> keyNormalize = new ArrayList<>();
        for (String k : contract.key()) {
            FieldSpec f = contract.field(k).orElseThrow();
            if (!f.synonyms().isEmpty() || f.defaultValue() != null) {
                return Optional.empty();
            }
            keyNormalize.add(f.normalize());
        }
        return Optional.of(new Plan(contract, List.copyOf(columns), sql.get(), keyColumns, keyNormalize,
                columns.indexOf("sku"), contract.field("sku").orElseThrow().normalize(), columns.indexOf("ordered_at"),
                Arrays.copyOf(headerLine, headerLine.length)));
    }

    /** Reads the header line: the bytes up to and including the first line feed. */
    static byte[] headerLine(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            header.write(b);
            if (b == '\n') {
                break;
            }
        }
        return header.toByteArray();
    }

    /**
     * Cuts a CSV stream into blocks of whole rows (a row ends at a line feed outside double quotes) and
     * checks each on the way: plain, and its keys, SKUs and days for dedup and the served refresh.
     */
    static final class Reader {
        private final InputStream in;
        private final Plan plan;
        private final byte[] buffer = new byte[1 << 20];
        private int position;
        private int limit;
        private long line = 1;

        Reader(InputStream in, Plan plan) {
            this.in = in;
            this.plan = plan;
        }

        /** The next block of at most {@code maxRows} rows; a block of no rows at the end. */
        Block next(int maxRows) throws IOException {
            ByteArrayOutputStream out = new BlockBuffer(Math.min(maxRows, 1 << 16) * 64);
            out.write(plan.headerLine());
            if (plan.headerLine()[plan.headerLine().length - 1] != '\n') {
                out.write('\n');
            }
            int headerBytes = out.size();
            long firstLine = line + 1;
            int rows = 0;
            boolean quoted = false;
            boolean plain = true;
            int rowStart = headerBytes;
            RowScan scan = new RowScan(plan);
            while (rows < maxRows) {
                if (position == limit && !fill()) {
                    if (out.size() > rowStart) { // a last row without a line feed
                        plain &= !quoted && scan.end(out, rowStart, out.size());
                        rows++;
                        line++;
                    }
                    break;
                }
                int chunkStart = position;
                int outBase = out.size() - chunkStart;
                int rowEndInChunk = -1;
                while (position < limit) {
                    byte b = buffer[position++];
                    if (b == '"') {
                        quoted = !quoted;
                        plain = false;
                    } else if (b == '\n' && !quoted) {
                        rowEndInChunk = position;
                        break;
                    }
                }
                out.write(buffer, chunkStart, position - chunkStart);
                if (rowEndInChunk >= 0) {
                    int rowEnd = outBase + rowEndInChunk - 1; // the line feed's position in out
                    plain &= scan.end(out, rowStart, rowEnd);
                    rowStart = rowEnd + 1;
                    rows++;
                    line++;
                }
            }
            byte[] payload = out.toByteArray();
            return new Block(payload, rows, firstLine, plain && scan.uniqueKeys, scan.keys, scan.cells);
        }

        private boolean fill() throws IOException {
            limit = Math.max(in.read(buffer), 0);
            position = 0;
            return limit > 0;
        }
    }

    /** Checks rows of a block as they end: printable ASCII, the header's number of values, keys unique. */
    private static final class RowScan {
        private final Plan plan;
        /** The keys of the block's rows (all of them when they are unique, which a plain block needs). */
        private final Set<String> keys = new HashSet<>();
        /** The served cells of the block's rows (SKU and day), as they will be once written. */
        private final ServedLayer.DemandTouch cells = new ServedLayer.DemandTouch();
        private final int[] starts;
        private final int[] ends;
        private boolean uniqueKeys = true;

        RowScan(Plan plan) {
            this.plan = plan;
            this.starts = new int[plan.columns().size()];
            this.ends = new int[plan.columns().size()];
        }

        /** Whether the row in {@code out}[from, to) (without its line feed) is plain; records its key. */
        boolean end(ByteArrayOutputStream out, int from, int to) {
            byte[] b = bytes(out);
            int field = 0;
            starts[0] = from;
            for (int i = from; i < to; i++) {
                byte c = b[i];
                if (c == ',') {
                    ends[field] = i;
                    if (++field >= starts.length) {
                        return false;
                    }
                    starts[field] = i + 1;
                } else if (c < 0x20 || c > 0x7e) {
                    return false;
                }
            }
            ends[field] = to;
            if (field != starts.length - 1 || to == from) {
                return false;
            }
            StringBuilder key = new StringBuilder();
            for (int k = 0; k < plan.keyColumns().length; k++) {
                int col = plan.keyColumns()[k];
                String value = normalized(new String(b, starts[col], ends[col] - starts[col], StandardCharsets.US_ASCII)
                        .strip(), plan.keyNormalize().get(k));
                if (k > 0) {
                    key.append('\u0001');
                }
                key.append(value);
            }
            if (!keys.add(key.toString())) {
                uniqueKeys = false;
            }
            LocalDate day = day(b, starts[plan.orderedAtColumn()], ends[plan.orderedAtColumn()]);
            if (day == null) {
                return false; // not a form the engine vouches for
            }
            cells.add(normalized(new String(b, starts[plan.skuColumn()], ends[plan.skuColumn()] - starts[plan.skuColumn()],
                    StandardCharsets.US_ASCII), plan.skuNormalize()), day);
            return true;
        }

        private static String normalized(String value, List<String> normalize) {
            String v = value;
            for (String n : normalize) {
                v = n.equals("upper") ? v.toUpperCase(Locale.ROOT) : n.equals("lower") ? v.toLowerCase(Locale.ROOT) : v;
            }
            return v;
        }

        /** The day of an ISO date-time ({@code yyyy-MM-dd…}); null when it does not start with a real date. */
        private static LocalDate day(byte[] b, int from, int to) {
            if (to - from < 10 || b[from + 4] != '-' || b[from + 7] != '-') {
                return null;
            }
            int year = digits(b, from, 4);
            int month = digits(b, from + 5, 2);
            int dayOfMonth = digits(b, from + 8, 2);
            if (year < 0 || month < 1 || month > 12 || dayOfMonth < 1
                    || dayOfMonth > java.time.YearMonth.of(year, month).lengthOfMonth()) {
                return null;
            }
            return LocalDate.of(year, month, dayOfMonth);
        }

        private static int digits(byte[] b, int from, int length) {
            int v = 0;
            for (int i = from; i < from + length; i++) {
                if (b[i] < '0' || b[i] > '9') {
                    return -1;
                }
                v = v * 10 + b[i] - '0';
            }
            return v;
        }

        private static byte[] bytes(ByteArrayOutputStream out) {
            return ((BlockBuffer) out).array();
        }
    }

    /** A byte buffer whose rows can be scanned in place as they are appended. */
    private static final class BlockBuffer extends ByteArrayOutputStream {
        BlockBuffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }
}
