package io.refinery.ingestion;

import java.util.Arrays;

/** The entities Refinery ingests, by the names used in URLs, contracts and the raw layer. */
public enum Entity {
    SALES_ORDER_LINES("sales-order-lines"),
    PURCHASE_ORDER_LINES("purchase-order-lines"),
    RECEIPTS("receipts"),
    IOT_READINGS("iot-readings"),
    PRODUCTS("products"),
    LOCATIONS("locations"),
    SUPPLIERS("suppliers");

    private final String wireName;

    Entity(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Entity of(String wireName) {
        return Arrays.stream(values()).filter(e -> e.wireName.equals(wireName) || e.name().equalsIgnoreCase(wireName))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown entity '" + wireName
                        + "'; one of " + Arrays.stream(values()).map(Entity::wireName).toList()));
    }
}
