package io.refinery.ingestion.record;

import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.contract.DataContract;
import io.refinery.ingestion.contract.FieldSpec;
import io.refinery.warehouse.RowBinaryWriter;
import io.refinery.warehouse.served.ServedLayer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The engine lane for plain CSV files: the file is cut into blocks of whole rows; each block lands raw as
 * one payload (its header line and rows exactly as received), and the engine types the block's rows into
 * cleaned with the contract's typed values compiled to SQL ({@link SureValidSql}). A block goes to the JVM's
 * contract instead — whole, so in-batch dedup and quarantine are decided exactly as on the record path — when
 * it is not plain (quotes, bytes outside printable ASCII, a wrong number of values, an empty line, a row not in
 * the contract's sure-valid form: {@link SureValidRow}, checked as the reader splits it), when two of its rows
 * share a key, or when the engine wrote fewer rows than the block holds.
 *
 * <p>Only for sales order lines, whose cleaned columns are the contract's fields and whose served cells
 * the lane can name from the rows; other entities, options that change how values are read (date
 * patterns, delimiters, encodings beyond ASCII) and headers that need mapping keep the record path.
 */
final class CsvBlockLane {

    /** What a file's blocks are checked and typed with, fixed by its header. */
    record Plan(DataContract contract, List<String> columns, SureValidRow sureValid, SureValidSql.Compiled sql,
                int keyColumn, int keyCase, int skuColumn, int skuCase, int orderedAtColumn, byte[] headerLine) {

        /**
         * The INSERT that types a block's rows, all sure-valid, into cleaned, with the batch's lineage. The block's
         * keys are unique (the reader checked), so the engine's pass that replaces rows of one key within an insert
         * ({@code optimize_on_insert}) would find nothing; it cost a seventh of the insert (0.15 of 0.9-1.1 CPU s
         * per million rows). Rows of one key in different blocks are replaced as ever, by merges and FINAL. The
         * date-times the engine reads itself are read as its best-effort parse reads them (the form the reader
         * vouches for ends in {@code Z}, which the basic parse does not take).
         */
        String insert(UUID batchId, long version) {
            String structure = columns.stream().map(c -> SureValidSql.ident(c) + " " + sql.inputTypes().get(c))
                    .collect(Collectors.joining(", "));
            String target = contract.fields().stream().map(f -> SureValidSql.ident(f.name()))
                    .collect(Collectors.joining(", "));
            String typed = contract.fields().stream().map(f -> SureValidSql.ident("v_" + f.name()))
                    .collect(Collectors.joining(", "));
            return "INSERT INTO sales_order_lines (" + target + ", batch_id, record_no, version) SELECT " + typed
                    + ", toUUID('" + batchId + "'), record_no, " + version + " FROM (SELECT *, "
                    + String.join(", ", sql.values()) + " FROM (SELECT *, toUInt32(rowNumberInAllBlocks()) AS record_no"
                    + " FROM input(" + SureValidSql.literal(structure) + "))) WHERE " + sql.guard()
                    + " SETTINGS optimize_on_insert = 0, date_time_input_format = 'best_effort'";
        }
    }

    /**
     * Rows of one block: the payload to land (header line first; the first {@code payloadLength} bytes of
     * its array, which the reader hands over rather than copies) and what the pre-scan found: whether it is
     * plain with unique keys, its keys as RowBinary strings and their least and greatest in byte order (for
     * the look-up of the cells they counted in before) and the served cells its rows will count in.
     */
    record Block(byte[] payload, int payloadLength, int rows, long firstLine, boolean plain, byte[] keyRows,
                 String firstKey, String lastKey, ServedLayer.DemandTouch cells) {
    }

    /** A block ends after this many bytes at most (at the end of the row that reaches it). */
    static final int BLOCK_BYTES = 64 << 20;

    /** Files up to this size are one block: for less, a second statement costs about what it saves. */
    static final int SINGLE_BLOCK_BYTES = 8 << 20;

    /**
     * The bytes per block of a file of {@code fileBytes}: as many blocks of at most {@link #BLOCK_BYTES} as it
     * needs, rounded up to a multiple of the blocks the engine types at a time, and all of one size. Cut at
     * the cap, a file's last block was typed alone (five blocks on two lanes: the last ran for a second with
     * one core idle); cut even, the lanes end together.
     */
    static int blockBytes(long fileBytes, int blocksAtATime) {
        if (fileBytes <= SINGLE_BLOCK_BYTES) {
            return BLOCK_BYTES;
        }
        long blocks = Math.ceilDiv(Math.ceilDiv(fileBytes, BLOCK_BYTES), blocksAtATime) * blocksAtATime;
        return (int) Math.ceilDiv(fileBytes, blocks);
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
        Optional<SureValidRow> sureValid = SureValidRow.compile(contract, columns);
        if (sql.isEmpty() || sureValid.isEmpty()) {
            return Optional.empty();
        }
        if (contract.key().size() != 1) {
            return Optional.empty(); // the served look-up matches one key column (a sales line's id)
        }
        FieldSpec key = contract.field(contract.key().getFirst()).orElseThrow();
        if (!key.synonyms().isEmpty() || key.defaultValue() != null) {
            return Optional.empty();
        }
        return Optional.of(new Plan(contract, List.copyOf(columns), sureValid.get(), sql.get(),
                columns.indexOf(key.name()), caseOf(key.normalize()), columns.indexOf("sku"),
                caseOf(contract.field("sku").orElseThrow().normalize()),
                columns.indexOf("ordered_at"), Arrays.copyOf(headerLine, headerLine.length)));
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

    private static final int SAME_CASE = 0;
    private static final int UPPER_CASE = 1;
    private static final int LOWER_CASE = 2;

    /** The case a normalisation list leaves ASCII text in (the last of upper/lower wins). */
    private static int caseOf(List<String> normalize) {
        int result = SAME_CASE;
        for (String n : normalize) {
            result = n.equals("upper") ? UPPER_CASE : n.equals("lower") ? LOWER_CASE : result;
        }
        return result;
    }

    /**
     * Cuts a CSV stream into blocks of whole rows (a row ends at a line feed outside double quotes) and
     * checks each on the way: plain, and its keys, SKUs and days for dedup and the served refresh.
     */
    static final class Reader {
        private final InputStream in;
        private final Plan plan;
        private final RowScan scan;
        private final byte[] buffer = new byte[1 << 20];
        private final int blockBytes;
        private int position;
        private int limit;
        private long line = 1;
        /** The previous block's size: the next one is about as large, so its buffer rarely grows. */
        private int lastBlockBytes;

        /** A reader of blocks of about {@code blockBytes} (see {@link #blockBytes(long, int)}). */
        Reader(InputStream in, Plan plan, int blockBytes) {
            this.in = in;
            this.plan = plan;
            this.blockBytes = blockBytes;
            // a file cut to size has blocks of about that size; else start small, a small file is one block
            this.lastBlockBytes = blockBytes < BLOCK_BYTES ? blockBytes : 1 << 20;
            this.scan = new RowScan(plan);
        }

        /** The next block of at most {@code maxRows} rows and about the reader's block bytes; no rows at the end. */
        Block next(int maxRows) throws IOException {
            Bytes out = new Bytes(lastBlockBytes + (lastBlockBytes >> 3));
            out.append(plan.headerLine(), 0, plan.headerLine().length);
            if (plan.headerLine()[plan.headerLine().length - 1] != '\n') {
                out.append((byte) '\n');
            }
            int headerBytes = out.size();
            long firstLine = line + 1;
            int rows = 0;
            boolean quoted = false;
            boolean plain = true;
            int rowStart = headerBytes;
            scan.start(maxRows);
            while (rows < maxRows && rowStart - headerBytes < blockBytes) { // the file's bytes, not the header copies
                if (position == limit && !fill()) {
                    if (out.size() > rowStart) { // a last row without a line feed
                        plain = plain && !quoted && scan.end(out.array(), rowStart, out.size());
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
                out.append(buffer, chunkStart, position - chunkStart);
                if (rowEndInChunk >= 0) {
                    int rowEnd = outBase + rowEndInChunk - 1; // the line feed's position in out
                    // once a block is not plain the contract decides it whole: its rows need no more checks
                    plain = plain && scan.end(out.array(), rowStart, rowEnd);
                    rowStart = rowEnd + 1;
                    rows++;
                    line++;
                }
            }
            lastBlockBytes = out.size();
            return new Block(out.array(), out.size(), rows, firstLine, plain && scan.keyHashes.unique(),
                    scan.keyRows.copy(), scan.firstKey(), scan.lastKey(), scan.cells());
        }

        private boolean fill() throws IOException {
            limit = Math.max(in.read(buffer), 0);
            position = 0;
            return limit > 0;
        }
    }

    /**
     * Checks rows of a block as they end — printable ASCII, the header's number of values, a real day,
     * keys unique — without allocating per row: keys are kept as RowBinary strings and 64-bit hashes (two
     * keys with one hash count as a repeat, which only sends the block to the contract), SKUs once each.
     */
    private static final class RowScan {
        private final Plan plan;
        private final int[] starts;
        private final int[] ends;
        private final KeyHashes keyHashes = new KeyHashes();
        private final SkuSet skus = new SkuSet();
        private Bytes keyRows;
        private RowBinaryWriter keyWriter;
        /** Where the least and the greatest key (in byte order) so far are in {@code keyRows}, and their lengths. */
        private int firstKeyAt;
        private int firstKeyLength = -1;
        private int lastKeyAt;
        private int lastKeyLength = -1;
        /** The earliest and latest day of the block's rows, as yyyymmdd. */
        private int firstDay;
        private int lastDay;

        RowScan(Plan plan) {
            this.plan = plan;
            this.starts = new int[plan.columns().size()];
            this.ends = new int[plan.columns().size()];
        }

        void start(int maxRows) {
            keyHashes.clear();
            skus.clear();
            keyRows = new Bytes(Math.min(maxRows, 1 << 20) * 12);
            keyWriter = new RowBinaryWriter(keyRows);
            firstKeyLength = -1;
            lastKeyLength = -1;
            firstDay = Integer.MAX_VALUE;
            lastDay = Integer.MIN_VALUE;
        }

        /** Whether the row in {@code b}[from, to) (without its line feed) is plain; records its key and cell. */
        boolean end(byte[] b, int from, int to) {
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
            if (field != starts.length - 1 || to == from || !plan.sureValid().test(b, starts, ends)) {
                return false;
            }
            int day = day(b, starts[plan.orderedAtColumn()], ends[plan.orderedAtColumn()]);
            if (day < 0) {
                return false; // not a form the engine vouches for
            }
            firstDay = Math.min(firstDay, day);
            lastDay = Math.max(lastDay, day);
            int keyFrom = starts[plan.keyColumn()];
            int keyLength = ends[plan.keyColumn()] - keyFrom;
            keyWriter.bytes(b, keyFrom, keyLength);
            int at = keyRows.size() - keyLength; // cased in place, as the contract normalises it
            toCase(keyRows.array(), at, keyLength, plan.keyCase());
            keyHashes.add(hash(keyRows.array(), at, keyLength));
            byte[] keys = keyRows.array();
            if (firstKeyLength < 0 || Arrays.compareUnsigned(keys, at, at + keyLength, keys, firstKeyAt,
                    firstKeyAt + firstKeyLength) < 0) {
                firstKeyAt = at;
                firstKeyLength = keyLength;
            }
            if (lastKeyLength < 0 || Arrays.compareUnsigned(keys, at, at + keyLength, keys, lastKeyAt,
                    lastKeyAt + lastKeyLength) > 0) {
                lastKeyAt = at;
                lastKeyLength = keyLength;
            }
            skus.add(b, starts[plan.skuColumn()], ends[plan.skuColumn()], plan.skuCase());
            return true;
        }

        /** The least key of the block's plain rows in byte order (ASCII: they are printable), or null. */
        String firstKey() {
            return firstKeyLength < 0 ? null : new String(keyRows.array(), firstKeyAt, firstKeyLength,
                    StandardCharsets.US_ASCII);
        }

        /** The greatest key of the block's plain rows in byte order, or null. */
        String lastKey() {
            return lastKeyLength < 0 ? null : new String(keyRows.array(), lastKeyAt, lastKeyLength,
                    StandardCharsets.US_ASCII);
        }

        /** The served cells of the block's rows: its SKUs over its span of days. */
        ServedLayer.DemandTouch cells() {
            ServedLayer.DemandTouch touch = new ServedLayer.DemandTouch();
            if (firstDay <= lastDay) {
                LocalDate first = LocalDate.of(firstDay / 10000, firstDay / 100 % 100, firstDay % 100);
                LocalDate last = LocalDate.of(lastDay / 10000, lastDay / 100 % 100, lastDay % 100);
                skus.forEach(sku -> {
                    touch.add(sku, first);
                    touch.add(sku, last);
                });
            }
            return touch;
        }

        /** The day of an ISO date-time ({@code yyyy-MM-dd…}) as yyyymmdd; -1 when it does not start with a real date. */
        private static int day(byte[] b, int from, int to) {
            if (to - from < 10 || b[from + 4] != '-' || b[from + 7] != '-') {
                return -1;
            }
            int year = SureValidRow.digits(b, from, 4);
            int month = SureValidRow.digits(b, from + 5, 2);
            int dayOfMonth = SureValidRow.digits(b, from + 8, 2);
            if (year < 0 || month < 1 || month > 12 || dayOfMonth < 1
                    || dayOfMonth > SureValidRow.lengthOfMonth(year, month)) {
                return -1;
            }
            return year * 10000 + month * 100 + dayOfMonth;
        }
    }

    /** ASCII case mapping in place, as Java's root locale maps ASCII letters. */
    private static void toCase(byte[] b, int from, int length, int textCase) {
        if (textCase == SAME_CASE) {
            return;
        }
        for (int i = from; i < from + length; i++) {
            byte c = b[i];
            if (textCase == UPPER_CASE && c >= 'a' && c <= 'z') {
                b[i] = (byte) (c - 32);
            } else if (textCase == LOWER_CASE && c >= 'A' && c <= 'Z') {
                b[i] = (byte) (c + 32);
            }
        }
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** A 64-bit hash of the bytes, eight at a time, with a finalising mix so that the low bits spread. */
    private static long hash(byte[] b, int from, int length) {
        long h = 0x9e3779b97f4a7c15L ^ length;
        int i = from;
        int end = from + length;
        for (; i + 8 <= end; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(b, i) * 0xc2b2ae3d27d4eb4fL), 31) * 0x9e3779b97f4a7c15L;
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (b[i] & 0xffL) << shift;
        }
        h = Long.rotateLeft(h ^ (tail * 0xc2b2ae3d27d4eb4fL), 31) * 0x9e3779b97f4a7c15L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /**
     * The hashes of a block's keys, to tell whether any repeats. A table of half a million hashes does not fit a
     * cache, and probing it row by row waited on memory for most of the reader's time; so hashes are appended
     * to buckets by their top byte and each bucket, small enough for the cache, is checked at the end.
     */
    private static final class KeyHashes {
        private static final int BUCKETS = 256;
        private final long[][] buckets = new long[BUCKETS][16];
        private final int[] counts = new int[BUCKETS];
        private final LongSet bucketSet = new LongSet();

        void clear() {
            Arrays.fill(counts, 0);
        }

        void add(long hash) {
            int k = (int) (hash >>> 56);
            if (counts[k] == buckets[k].length) {
                buckets[k] = Arrays.copyOf(buckets[k], counts[k] * 2);
            }
            buckets[k][counts[k]++] = hash;
        }

        /** Whether no hash was added twice. */
        boolean unique() {
            for (int k = 0; k < BUCKETS; k++) {
                bucketSet.clear(counts[k]);
                for (int i = 0; i < counts[k]; i++) {
                    if (!bucketSet.add(buckets[k][i])) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** A set of 64-bit hashes (open addressing), reused from use to use. */
    private static final class LongSet {
        private long[] slots = new long[0];

        void clear(int maxRows) {
            int capacity = Integer.highestOneBit(Math.max(16, maxRows) * 2 - 1) << 1;
            if (slots.length != capacity) {
                slots = new long[capacity];
            } else {
                Arrays.fill(slots, 0L);
            }
        }

        /** Adds the hash; false when it was there. */
        boolean add(long hash) {
            long h = hash == 0 ? 1 : hash; // 0 marks a free slot
            int mask = slots.length - 1;
            for (int i = (int) h & mask; ; i = (i + 1) & mask) {
                if (slots[i] == 0) {
                    slots[i] = h;
                    return true;
                }
                if (slots[i] == h) {
                    return false;
                }
            }
        }
    }

    /** The distinct SKUs of a block (after their case normalisation), each made a String once. */
    private static final class SkuSet {
        private long[] hashes = new long[1024];
        private byte[][] values = new byte[1024][];
        private int size;
        private byte[] scratch = new byte[64];

        void clear() {
            Arrays.fill(values, null);
            Arrays.fill(hashes, 0L);
            size = 0;
        }

        void add(byte[] b, int from, int to, int textCase) {
            int length = to - from;
            if (scratch.length < length) {
                scratch = new byte[length];
            }
            System.arraycopy(b, from, scratch, 0, length);
            toCase(scratch, 0, length, textCase);
            long h = hash(scratch, 0, length);
            int mask = values.length - 1;
            for (int i = (int) h & mask; ; i = (i + 1) & mask) {
                if (values[i] == null) {
                    values[i] = Arrays.copyOf(scratch, length);
                    hashes[i] = h;
                    if (++size * 2 > values.length) {
                        grow();
                    }
                    return;
                }
                if (hashes[i] == h && Arrays.equals(values[i], 0, values[i].length, scratch, 0, length)) {
                    return;
                }
            }
        }

        void forEach(java.util.function.Consumer<String> action) {
            for (byte[] v : values) {
                if (v != null) {
                    action.accept(new String(v, StandardCharsets.US_ASCII));
                }
            }
        }

        private void grow() {
            long[] oldHashes = hashes;
            byte[][] oldValues = values;
            hashes = new long[oldValues.length * 2];
            values = new byte[oldValues.length * 2][];
            int mask = values.length - 1;
            for (int j = 0; j < oldValues.length; j++) {
                if (oldValues[j] != null) {
                    int i = (int) oldHashes[j] & mask;
                    while (values[i] != null) {
                        i = (i + 1) & mask;
                    }
                    values[i] = oldValues[j];
                    hashes[i] = oldHashes[j];
                }
            }
        }
    }

    /** A growable byte array, scanned in place as rows are appended (no copy, no locking per row). */
    private static final class Bytes extends OutputStream {
        private byte[] buf;
        private int size;

        Bytes(int capacity) {
            buf = new byte[Math.max(capacity, 64)];
        }

        void append(byte[] b, int from, int length) {
            ensure(length);
            System.arraycopy(b, from, buf, size, length);
            size += length;
        }

        void append(byte b) {
            ensure(1);
            buf[size++] = b;
        }

        @Override
        public void write(int b) {
            append((byte) b);
        }

        @Override
        public void write(byte[] b, int from, int length) {
            append(b, from, length);
        }

        int size() {
            return size;
        }

        byte[] array() {
            return buf;
        }

        byte[] copy() {
            return Arrays.copyOf(buf, size);
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }
    }
}
