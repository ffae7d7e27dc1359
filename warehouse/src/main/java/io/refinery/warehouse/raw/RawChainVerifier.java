package io.refinery.warehouse.raw;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * Proves the raw layer was not altered: for each route, recomputes every record's payload hash from
 * the stored payload (in ClickHouse, so payloads never cross the wire), every batch hash
 * ({@code sha256(prev_hash || payload hashes in record order)}, exactly as {@link RawLanding} wrote
 * it) and the links between batches ({@code prev_hash} = the previous batch's hash, {@code seq}
 * without gaps). The first batch that does not hold is reported with the reason.
 */
@Component
public class RawChainVerifier {

    /** One route's verdict; {@code firstBroken} is null when the chain holds. */
    public record RouteVerification(String routeId, long batches, long records, BrokenBatch firstBroken) {
        public boolean ok() {
            return firstBroken == null;
        }
    }

    /** The first batch of a route whose stored hashes do not match what its records recompute to. */
    public record BrokenBatch(UUID batchId, long seq, String reason, Integer recordNo) {
    }

    private final DSLContext dsl;

    RawChainVerifier(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    /** The routes that have raw batches, sorted. */
    public List<String> routes() {
        return dsl.selectDistinct(field(name("route_id"), String.class)).from(table(name("raw_batches")))
                .orderBy(field(name("route_id"))).fetch(r -> r.value1());
    }

    public List<RouteVerification> verifyAll() {
        return routes().stream().map(this::verify).toList();
    }

    public RouteVerification verify(String routeId) {
        List<BatchHead> batches = dsl.resultQuery("""
                        SELECT batch_id, seq, record_count, prev_hash, batch_hash FROM raw_batches
                        WHERE route_id = {0} ORDER BY seq""", routeId)
                .fetch(r -> new BatchHead(r.get(0, UUID.class), r.get(1, Long.class), r.get(2, Long.class),
                        r.get(3, String.class), r.get(4, String.class)));
        long records = 0;
        String previousHash = "";
        long expectedSeq = 1;
        // Batches are verified one query each: a route's chain is walked in order and stops at the
        // first break, and each query reads only that batch's granules (raw_records is ordered by batch).
        for (BatchHead batch : batches) {
            if (batch.seq() != expectedSeq) {
                return broken(routeId, batches.size(), records, batch, "seq " + batch.seq() + " where "
                        + expectedSeq + " was expected: a batch is missing or duplicated", null);
            }
            if (!batch.prevHash().equals(previousHash)) {
                return broken(routeId, batches.size(), records, batch,
                        "prev_hash does not match the previous batch's hash", null);
            }
            MessageDigest chain = sha256();
            chain.update(batch.prevHash().getBytes(StandardCharsets.US_ASCII));
            List<Record> rows = dsl.resultQuery("""
                            SELECT record_no, payload_hash, lower(hex(SHA256(payload))), record_span FROM raw_records
                            WHERE batch_id = {0} ORDER BY record_no""", batch.batchId()).fetch();
            long expectedRecord = 0;
            long spanned = 0;
            for (Record row : rows) {
                spanned += row.get(3, Long.class);
                int recordNo = row.get(0, Integer.class);
                if (recordNo != expectedRecord) {
                    return broken(routeId, batches.size(), records, batch, "record " + expectedRecord
                            + " is missing or duplicated", recordNo);
                }
                String stored = row.get(1, String.class);
                String recomputed = row.get(2, String.class);
                if (!stored.equals(recomputed)) {
                    return broken(routeId, batches.size(), records, batch,
                            "payload of record " + recordNo + " does not match its stored hash", recordNo);
                }
                chain.update(recomputed.getBytes(StandardCharsets.US_ASCII));
                expectedRecord++;
            }
            if (spanned != batch.recordCount()) {
                return broken(routeId, batches.size(), records, batch, spanned + " records where the manifest says "
                        + batch.recordCount(), null);
            }
            String batchHash = HexFormat.of().formatHex(chain.digest());
            if (!batchHash.equals(batch.batchHash())) {
                return broken(routeId, batches.size(), records, batch,
                        "batch hash does not match its records and prev_hash", null);
            }
            records += spanned;
            previousHash = batch.batchHash();
            expectedSeq++;
        }
        return new RouteVerification(routeId, batches.size(), records, null);
    }

    private record BatchHead(UUID batchId, long seq, long recordCount, String prevHash, String batchHash) {
    }

    private static RouteVerification broken(String routeId, int batches, long records, BatchHead batch, String reason,
                                            Integer recordNo) {
        return new RouteVerification(routeId, batches, records,
                new BrokenBatch(batch.batchId(), batch.seq(), reason, recordNo));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
