package io.refinery.ingestion.record;

import io.refinery.ingestion.Entity;
import io.refinery.warehouse.cleaned.CleanedRows;
import io.refinery.warehouse.cleaned.CleanedWriter;
import io.refinery.warehouse.cleaned.Lineage;
import io.refinery.warehouse.served.ServedLayer;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Turns typed contract values into the cleaned rows of each entity and writes them. */
final class CleanedMapping {

    /** A validated record and where it came from. */
    record TypedRow(Map<String, Object> values, Lineage lineage) {
    }

    private CleanedMapping() {
    }

    /** Whether cleaned rows of the entity feed a served aggregate. */
    static boolean feedsServed(Entity entity) {
        return entity == Entity.SALES_ORDER_LINES || entity == Entity.PURCHASE_ORDER_LINES
                || entity == Entity.RECEIPTS;
    }

    /** Writes the rows; {@code demand} non-null collects the demand cells for a later refresh instead of refreshing now. */
    static long write(CleanedWriter writer, Entity entity, List<TypedRow> rows, ServedLayer.DemandTouch demand) {
        if (rows.isEmpty()) {
            return 0;
        }
        return switch (entity) {
            case SALES_ORDER_LINES -> {
                List<CleanedRows.SalesOrderLine> lines = rows.stream().map(r -> new CleanedRows.SalesOrderLine(
                        s(r, "line_id"), s(r, "sku"), s(r, "location"), d(r, "quantity"), d(r, "unit_price"),
                        t(r, "ordered_at"), s(r, "channel"), r.lineage())).toList();
                yield demand == null ? writer.writeSalesOrderLines(lines) : writer.writeSalesOrderLines(lines, demand);
            }
            case PURCHASE_ORDER_LINES -> writer.writePurchaseOrderLines(rows.stream().map(r ->
                    new CleanedRows.PurchaseOrderLine(s(r, "po_line_id"), s(r, "supplier"), s(r, "sku"),
                            s(r, "location"), d(r, "quantity"), t(r, "ordered_at"),
                            (LocalDate) r.values().get("promised_date"), r.lineage())).toList());
            case RECEIPTS -> writer.writeReceipts(rows.stream().map(r -> new CleanedRows.Receipt(s(r, "receipt_id"),
                    s(r, "po_line_id"), d(r, "quantity"), t(r, "received_at"), r.lineage())).toList());
            case IOT_READINGS -> writer.writeIotReadings(rows.stream().map(r -> new CleanedRows.IotReading(
                    s(r, "device_id"), s(r, "location"), r.values().containsKey("sku") ? s(r, "sku") : "",
                    s(r, "metric"), (Double) r.values().get("value"), t(r, "observed_at"), r.lineage())).toList());
            case PRODUCTS -> writer.writeProducts(rows.stream().map(r -> new CleanedRows.Product(s(r, "sku"),
                    s(r, "name"), s(r, "category"), s(r, "unit"), r.lineage())).toList());
            case LOCATIONS -> writer.writeLocations(rows.stream().map(r -> new CleanedRows.Location(s(r, "location"),
                    s(r, "name"), s(r, "region"), r.lineage())).toList());
            case SUPPLIERS -> writer.writeSuppliers(rows.stream().map(r -> new CleanedRows.Supplier(s(r, "supplier"),
                    s(r, "name"), s(r, "country"), java.util.Objects.toString(r.values().get("contact_email"), ""),
                    r.lineage())).toList());
        };
    }

    private static String s(TypedRow r, String field) {
        return (String) r.values().get(field);
    }

    private static BigDecimal d(TypedRow r, String field) {
        return (BigDecimal) r.values().get(field);
    }

    private static Instant t(TypedRow r, String field) {
        return (Instant) r.values().get(field);
    }
}
