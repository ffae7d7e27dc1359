package io.refinery.ops.demo;

import io.refinery.ops.demo.Catalog.Location;
import io.refinery.ops.demo.Catalog.Product;
import io.refinery.ops.demo.Catalog.Supplier;
import io.refinery.ops.demo.DemandModel.Promotion;
import io.refinery.ops.demo.DemandModel.SalesLine;
import io.refinery.ops.demo.IotSensors.Reading;
import io.refinery.ops.demo.Replenishment.PoLine;
import io.refinery.ops.demo.Replenishment.ReceiptEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders generated facts as upload records: canonical field names in column order, values as a
 * CSV or JSON upload carries them (plain decimals, ISO-8601 dates and UTC instants).
 */
final class RecordFormat {

    private RecordFormat() {
    }

    static Map<String, String> product(Product product) {
        return record(DemoEntity.PRODUCTS, product.sku(), product.name(), product.category().name(),
                product.category().unit());
    }

    static Map<String, String> location(Location location) {
        return record(DemoEntity.LOCATIONS, location.id(), location.name(), location.region());
    }

    static Map<String, String> supplier(Supplier supplier) {
        return record(DemoEntity.SUPPLIERS, supplier.id(), supplier.name(), supplier.country());
    }

    static Map<String, String> sales(SalesLine line) {
        return record(DemoEntity.SALES_ORDER_LINES, line.lineId(), line.product().sku(), line.location().id(),
                Long.toString(line.quantity()), cents(line.unitPriceCents()), line.orderedAt().toString(),
                line.channel());
    }

    static Map<String, String> promotion(Promotion promotion) {
        return record(DemoEntity.PROMOTIONS, promotion.promotionId(), promotion.product().sku(),
                promotion.startsOn().toString(), promotion.endsOn().toString(),
                Integer.toString(promotion.discountPct()));
    }

    static Map<String, String> purchaseOrderLine(PoLine line) {
        return record(DemoEntity.PURCHASE_ORDER_LINES, line.poLineId(), line.supplier().id(), line.product().sku(),
                line.location().id(), Long.toString(line.quantity()), line.orderedAt().toString(),
                line.promisedDate().toString());
    }

    static Map<String, String> receipt(PoLine line, ReceiptEvent receipt) {
        return record(DemoEntity.RECEIPTS, receipt.receiptId(), line.poLineId(), Long.toString(receipt.quantity()),
                receipt.receivedAt().toString());
    }

    static Map<String, String> reading(Reading reading) {
        return record(DemoEntity.IOT_READINGS, reading.deviceId(), reading.location().id(), reading.sku(),
                reading.metric(), number(reading.value()), reading.observedAt().toString());
    }

    private static Map<String, String> record(DemoEntity entity, String... values) {
        Map<String, String> record = new LinkedHashMap<>(values.length * 2);
        for (int i = 0; i < values.length; i++) {
            record.put(entity.fields().get(i), values[i]);
        }
        return record;
    }

    private static String cents(long cents) {
        long remainder = cents % 100;
        return cents / 100 + (remainder < 10 ? ".0" : ".") + remainder;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
