package io.refinery.forecasting.leadtime;

import java.time.Instant;
import java.util.Objects;

/** One (possibly partial) goods receipt against a purchase order line. */
public record Receipt(String receiptId, String poLineId, double quantity, Instant receivedAt) {

    public Receipt {
        Objects.requireNonNull(receiptId, "receiptId");
        Objects.requireNonNull(poLineId, "poLineId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
