package io.refinery.forecasting.leadtime;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/** A purchase order line as the warehouse holds it: what was ordered from whom, for where, by when. */
public record PurchaseOrderLine(String poLineId, String supplier, String sku, String location, double quantity,
        Instant orderedAt, LocalDate promisedDate) {

    public PurchaseOrderLine {
        Objects.requireNonNull(poLineId, "poLineId");
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(orderedAt, "orderedAt");
        Objects.requireNonNull(promisedDate, "promisedDate");
    }

    /** The supplier-to-location lane the goods travel, e.g. {@code SUP03->LOC02}. */
    public String lane() {
        return supplier + "->" + location;
    }
}
