package io.refinery.warehouse.cleaned;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** Typed, UTC, validated rows of the cleaned layer, one record per entity. */
public final class CleanedRows {

    private CleanedRows() {
    }

    public record SalesOrderLine(String lineId, String sku, String location, BigDecimal quantity,
                                 BigDecimal unitPrice, Instant orderedAt, String channel, Lineage lineage) {
    }

    public record PurchaseOrderLine(String poLineId, String supplier, String sku, String location,
                                    BigDecimal quantity, Instant orderedAt, LocalDate promisedDate,
                                    Lineage lineage) {
    }

    public record Receipt(String receiptId, String poLineId, BigDecimal quantity, Instant receivedAt,
                          Lineage lineage) {
    }

    public record IotReading(String deviceId, String location, String sku, String metric, double value,
                             Instant observedAt, Lineage lineage) {
    }

    public record Product(String sku, String name, String category, String unit, Lineage lineage) {
    }

    public record Location(String location, String name, String region, Lineage lineage) {
    }

    /** {@code contactEmail} is personal data (contract tag pii); empty when the source has none. */
    public record Supplier(String supplier, String name, String country, String contactEmail, Lineage lineage) {

        public Supplier(String supplier, String name, String country, Lineage lineage) {
            this(supplier, name, country, "", lineage);
        }
    }
}
