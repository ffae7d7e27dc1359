package io.refinery.warehouse.cleaned;

import io.refinery.warehouse.BulkInserter;
import io.refinery.warehouse.RowBinaryWriter;
import io.refinery.warehouse.cleaned.CleanedRows.IotReading;
import io.refinery.warehouse.cleaned.CleanedRows.Location;
import io.refinery.warehouse.cleaned.CleanedRows.Product;
import io.refinery.warehouse.cleaned.CleanedRows.PurchaseOrderLine;
import io.refinery.warehouse.cleaned.CleanedRows.Receipt;
import io.refinery.warehouse.cleaned.CleanedRows.SalesOrderLine;
import io.refinery.warehouse.cleaned.CleanedRows.Supplier;
import io.refinery.warehouse.served.ServedLayer;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Writes typed rows into the cleaned tables and refreshes the served aggregates they feed, for
 * exactly the keys the rows touch (including the keys a corrected row moved away from).
 *
 * <p>Re-delivering a row is harmless: the cleaned tables replace by source key, and the served
 * refresh recomputes from the deduplicated rows rather than adding deltas.
 */
@Component
public class CleanedWriter {

    private static final int SCALE = 4;

    private final BulkInserter inserter;
    private final ServedLayer served;

    CleanedWriter(BulkInserter inserter, ServedLayer served) {
        this.inserter = inserter;
        this.served = served;
    }

    public long writeSalesOrderLines(List<SalesOrderLine> rows) {
        ServedLayer.DemandTouch touched = new ServedLayer.DemandTouch();
        long written = writeSalesOrderLines(rows, touched);
        served.refreshDemand(touched);
        return written;
    }

    /**
     * Writes the rows and adds the demand cells they touch, before and after, to {@code touched}
     * without refreshing: the caller refreshes once for many batches ({@link #refreshDemand}) and
     * only then declares them processed, so a crash in between is repaired by re-processing.
     */
    public long writeSalesOrderLines(List<SalesOrderLine> rows, ServedLayer.DemandTouch touched) {
        if (rows.isEmpty()) {
            return 0;
        }
        List<String> lineIds = new ArrayList<>(rows.size());
        for (SalesOrderLine row : rows) {
            lineIds.add(row.lineId());
            touched.add(row.sku(), LocalDate.ofInstant(row.orderedAt(), ZoneOffset.UTC));
        }
        served.addDemandCellsOf(lineIds, touched);
        return insert("sales_order_lines", List.of("line_id", "sku", "location", "quantity", "unit_price",
                "ordered_at", "channel"), rows, (w, r) -> {
            w.string(r.lineId()).string(r.sku()).string(r.location()).decimal64(r.quantity(), SCALE)
                    .nullable(r.unitPrice() == null);
            if (r.unitPrice() != null) {
                w.decimal64(r.unitPrice(), SCALE);
            }
            w.dateTime64Millis(r.orderedAt()).string(r.channel());
        }, SalesOrderLine::lineage);
    }

    /**
     * Adds the demand cells the given sales lines are in now (before a write replaces them) to {@code touched};
     * the line ids come encoded as RowBinary strings, all between the two given (in byte order). Lines of the
     * batches {@code notIn} are left out: the caller counts in their cells itself.
     */
    public void addDemandCellsOfRowBinary(byte[] lineIdRows, String firstLineId, String lastLineId,
                                          Collection<UUID> notIn, ServedLayer.DemandTouch touched) {
        served.addDemandCellsOfRowBinary(lineIdRows, firstLineId, lastLineId, notIn, touched);
    }

    /** Recomputes the daily demand of the cells collected by {@link #writeSalesOrderLines(List, ServedLayer.DemandTouch)}. */
    public void refreshDemand(ServedLayer.DemandTouch touched) {
        served.refreshDemand(touched);
    }

    public long writePurchaseOrderLines(List<PurchaseOrderLine> rows) {
        long written = insert("purchase_order_lines", List.of("po_line_id", "supplier", "sku", "location", "quantity",
                "ordered_at", "promised_date"), rows, (w, r) -> w.string(r.poLineId()).string(r.supplier())
                .string(r.sku()).string(r.location()).decimal64(r.quantity(), SCALE).dateTime64Millis(r.orderedAt())
                .date(r.promisedDate()), PurchaseOrderLine::lineage);
        served.refreshLeadTimes(rows.stream().map(PurchaseOrderLine::poLineId).toList());
        return written;
    }

    public long writeReceipts(List<Receipt> rows) {
        List<String> poLines = new ArrayList<>(served.poLinesOfReceipts(rows.stream().map(Receipt::receiptId).toList()));
        long written = insert("receipts", List.of("receipt_id", "po_line_id", "quantity", "received_at"), rows,
                (w, r) -> w.string(r.receiptId()).string(r.poLineId()).decimal64(r.quantity(), SCALE)
                        .dateTime64Millis(r.receivedAt()), Receipt::lineage);
        rows.forEach(r -> poLines.add(r.poLineId()));
        served.refreshLeadTimes(poLines);
        return written;
    }

    public long writeIotReadings(List<IotReading> rows) {
        return insert("iot_readings", List.of("device_id", "location", "sku", "metric", "value", "observed_at"), rows,
                (w, r) -> w.string(r.deviceId()).string(r.location()).string(r.sku() == null ? "" : r.sku())
                        .string(r.metric()).float64(r.value()).dateTime64Millis(r.observedAt()), IotReading::lineage);
    }

    public long writeProducts(List<Product> rows) {
        return insert("products", List.of("sku", "name", "category", "unit"), rows,
                (w, r) -> w.string(r.sku()).string(r.name()).string(r.category()).string(r.unit()), Product::lineage);
    }

    public long writeLocations(List<Location> rows) {
        return insert("locations", List.of("location", "name", "region"), rows,
                (w, r) -> w.string(r.location()).string(r.name()).string(r.region()), Location::lineage);
    }

    public long writeSuppliers(List<Supplier> rows) {
        return insert("suppliers", List.of("supplier", "name", "country", "contact_email"), rows,
                (w, r) -> w.string(r.supplier()).string(r.name()).string(r.country())
                        .string(r.contactEmail() == null ? "" : r.contactEmail()), Supplier::lineage);
    }

    private <T> long insert(String table, List<String> columns, List<T> rows, BiConsumer<RowBinaryWriter, T> values,
                            java.util.function.Function<T, Lineage> lineage) {
        if (rows.isEmpty()) {
            return 0;
        }
        List<String> all = new ArrayList<>(columns);
        all.addAll(List.of("batch_id", "record_no", "version"));
        return inserter.insertRowBinary(table, all, writer -> {
            for (T row : rows) {
                values.accept(writer, row);
                Lineage l = lineage.apply(row);
                writer.uuid(l.batchId()).uint32(l.recordNo()).uint64(l.version());
            }
        });
    }
}
