package io.refinery.ops.demo;

import java.util.List;

/** The entities the demo produces, named and shaped as an upload of that entity would be. */
public enum DemoEntity {
    PRODUCTS("products", List.of("sku", "name", "category", "unit")),
    LOCATIONS("locations", List.of("location", "name", "region")),
    SUPPLIERS("suppliers", List.of("supplier", "name", "country")),
    SALES_ORDER_LINES("sales_order_lines",
            List.of("line_id", "sku", "location", "quantity", "unit_price", "ordered_at", "channel")),
    /** Chain-wide price promotions (inclusive dates), so a forecaster can explain the uplifts. */
    PROMOTIONS("promotions", List.of("promotion_id", "sku", "starts_on", "ends_on", "discount_pct")),
    PURCHASE_ORDER_LINES("purchase_order_lines",
            List.of("po_line_id", "supplier", "sku", "location", "quantity", "ordered_at", "promised_date")),
    RECEIPTS("receipts", List.of("receipt_id", "po_line_id", "quantity", "received_at")),
    IOT_READINGS("iot_readings", List.of("device_id", "location", "sku", "metric", "value", "observed_at"));

    private final String entityName;
    private final List<String> fields;

    DemoEntity(String entityName, List<String> fields) {
        this.entityName = entityName;
        this.fields = fields;
    }

    /** The canonical entity name, as used for routes and tables. */
    public String entityName() {
        return entityName;
    }

    /** The canonical field names, in upload column order; every record has exactly these keys. */
    public List<String> fields() {
        return fields;
    }
}
