package io.refinery.warehouse.raw;

import com.clickhouse.client.api.ConnectionInitiationException;
import io.refinery.warehouse.BulkInserter;
import org.jooq.DSLContext;
import org.jooq.Record3;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * Lands batches in the raw layer: records first, then the batch manifest, which is the commit
 * marker (a batch exists only once its manifest row does). Only after {@link #land} returns may a
 * source be acknowledged or a cursor advanced.
 *
 * <p>Each route's batches form a hash chain (each manifest stores the previous batch's hash), so a
 * later verification can prove the raw layer was not altered.
 */
@Component
public class RawLanding {

    static final List<String> RECORD_COLUMNS = List.of("batch_id", "record_no", "source", "route_id", "entity",
            "source_offset", "received_at", "payload", "payload_hash", "payload_format", "record_span");

    private final DSLContext dsl;
    private final BulkInserter inserter;
    private final Map<String, ChainHead> headByRoute = new ConcurrentHashMap<>();
    private final Map<String, Object> routeLocks = new ConcurrentHashMap<>();

    RawLanding(DSLContext warehouseDsl, BulkInserter inserter) {
        this.dsl = warehouseDsl;
        this.inserter = inserter;
    }

    /**
     * Whether the warehouse answers a trivial query now. Routes ask this after a landing failed, to
     * tell an outage (keep the source's data and retry later) from a failure of this data.
     */
    public boolean answers() {
        try {
            return dsl.fetchValue(dsl.selectOne()) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether {@code failure} came from the warehouse being unavailable rather than from the data: a
     * connection that could not be made or broke, anywhere in its causes (jOOQ and the drivers wrap it),
     * or no answer now. The causes are asked first: at the end of an outage the warehouse may answer
     * again by the time a failure from during it is looked at.
     */
    public boolean unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketException || t instanceof ConnectionInitiationException
                    || (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08"))) {
                return true;
            }
        }
        return !answers();
    }

    public LandedBatch land(RawBatch batch) {
        synchronized (routeLocks.computeIfAbsent(batch.routeId(), r -> new Object())) {
            // One round trip for both questions (a query costs the engine milliseconds, a micro-batch lands
            // several times a second): the batch's manifest if it landed; else whether records of an earlier
            // attempt that crashed before its manifest are there. A batch id is its route's (the route is part of
            // what it is derived from), and the route is the manifests' sort key: not a scan of all manifests.
            Record3<String, Long, Integer> existing = null;
            boolean orphans = false;
            for (Record3<String, Long, Integer> r : dsl.resultQuery("""
                            SELECT batch_hash, toInt64(record_count), toInt32(1) FROM raw_batches
                            WHERE route_id = {2} AND batch_id = {0}
                            UNION ALL
                            SELECT * FROM (SELECT '', toInt64(0), toInt32(0) FROM raw_records
                                           WHERE entity = {1} AND batch_id = {0} LIMIT 1)""",
                    inline(batch.batchId()), inline(batch.entity()), inline(batch.routeId()))
                    .coerce(field(name("batch_hash"), String.class), field(name("record_count"), Long.class),
                            field(name("manifest"), Integer.class))) {
                if (r.value3() == 1) {
                    existing = r;
                } else {
                    orphans = true;
                }
            }
            if (existing != null) {
                return new LandedBatch(batch.batchId(), existing.value2().intValue(), existing.value1(), true);
            }
            // Records of an earlier attempt that crashed before its manifest: remove, then land again.
            // The DELETE is a mutation, so it runs only when such records exist, not for every batch.
            if (orphans) {
                dsl.execute("DELETE FROM raw_records WHERE batch_id = {0}", batch.batchId());
            }

            MessageDigest chain = sha256();
            ChainHead head = head(batch.routeId());
            String prevHash = head.hash();
            chain.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            long[] bytes = {0};
            long spanned = batch.records().stream().mapToLong(RawRecord::span).sum();
            String[] hashes = new String[batch.records().size()];
            // one digest for all records (digest() resets it): looking the algorithm up per record cost
            // as much as hashing the payload
            MessageDigest recordDigest = sha256();
            HexFormat hex = HexFormat.of();
            for (int i = 0; i < hashes.length; i++) {
                RawRecord record = batch.records().get(i);
                bytes[0] += record.utf8Length();
                recordDigest.update(record.utf8Array(), 0, record.utf8Length());
                hashes[i] = hex.formatHex(recordDigest.digest());
                chain.update(hashes[i].getBytes(StandardCharsets.US_ASCII));
            }
            inserter.insertRowBinary("raw_records", RECORD_COLUMNS, writer -> {
                for (int i = 0; i < hashes.length; i++) {
                    RawRecord record = batch.records().get(i);
                    writer.uuid(batch.batchId()).uint32(i).string(batch.source()).string(batch.routeId())
                            .string(batch.entity()).string(record.sourceOffset())
                            .dateTime64Millis(batch.receivedAt()).bytes(record.utf8Array(), 0, record.utf8Length())
                            .string(hashes[i])
                            .string(record.format()).uint32(record.span());
                }
            });
            String batchHash = hex.formatHex(chain.digest());
            long seq = head.seq() + 1;
            inserter.insertRowBinary("raw_batches", List.of("batch_id", "seq", "source", "route_id", "entity", "source_ref",
                    "received_at", "record_count", "payload_bytes", "prev_hash", "batch_hash"), writer -> writer
                    .uuid(batch.batchId()).uint64(seq).string(batch.source()).string(batch.routeId()).string(batch.entity())
                    .string(batch.sourceRef()).dateTime64Millis(batch.receivedAt()).uint32(spanned)
                    .uint64(bytes[0]).string(prevHash).string(batchHash));
            headByRoute.put(batch.routeId(), new ChainHead(seq, batchHash));
            return new LandedBatch(batch.batchId(), (int) spanned, batchHash, false);
        }
    }

    /**
     * The raw rows of a landed batch, in order (for cleaning, replay and re-processing): one per record,
     * or blocks of records that the reader expands.
     */
    public List<RawRecord> records(UUID batchId) {
        return dsl.select(field(name("source_offset"), String.class), field(name("payload"), String.class),
                        field(name("payload_format"), String.class), field(name("record_span"), Integer.class))
                .from(table(name("raw_records")))
                .where(field(name("batch_id"), UUID.class).eq(batchId))
                .orderBy(field(name("record_no")))
                .fetch(r -> new RawRecord(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    private record ChainHead(long seq, String hash) {
    }

    private ChainHead head(String routeId) {
        return headByRoute.computeIfAbsent(routeId, id -> dsl.select(field(name("seq"), Long.class),
                        field(name("batch_hash"), String.class))
                .from(table(name("raw_batches")))
                .where(field(name("route_id"), String.class).eq(id))
                .orderBy(field(name("seq")).desc())
                .limit(1)
                .fetchOptional(r -> new ChainHead(r.value1(), r.value2()))
                .orElse(new ChainHead(0, "")));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
