package io.refinery.api.e2e;

import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.SourceKind;
import io.refinery.warehouse.accounts.UserAccount;
import io.refinery.warehouse.accounts.UserAccounts;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The browser tests' data, put in through the real ingestion facade (raw → contract → cleaned →
 * served) so the pages show what production would: a year of daily sales of a few SKUs at two
 * stores, and purchase orders with receipts, a few of them very late.
 */
final class E2eData {

    static final List<String> SKUS = List.of("SKU-A", "SKU-B", "SKU-C");
    static final List<String> LOCATIONS = List.of("STORE-1", "STORE-2");
    static final String PASSWORD = "e2e-Secret-123";

    private final Ingestion ingestion;
    private final AtomicInteger liveLine = new AtomicInteger();

    E2eData(Ingestion ingestion) {
        this.ingestion = ingestion;
    }

    /** viewer, planner and admin, each with {@link #PASSWORD} (bcrypt through the app's encoder). */
    static void users(UserAccounts accounts, PasswordEncoder encoder) {
        for (String role : List.of("VIEWER", "PLANNER", "ADMIN")) {
            String username = "e2e-" + role.toLowerCase();
            accounts.save(new UserAccount(username, encoder.encode(PASSWORD), List.of(role), true, Instant.now(), "e2e"));
        }
    }

    void seed() {
        ingest(Entity.PRODUCTS, List.of(
                Map.of("sku", "SKU-A", "name", "Arabica beans 1kg", "category", "coffee", "unit", "EA"),
                Map.of("sku", "SKU-B", "name", "Oat milk 1l", "category", "dairy-free", "unit", "EA"),
                Map.of("sku", "SKU-C", "name", "Espresso cups", "category", "kitchen", "unit", "BOX")));
        ingest(Entity.LOCATIONS, List.of(
                Map.of("location", "STORE-1", "name", "Harbour store", "region", "north"),
                Map.of("location", "STORE-2", "name", "Market store", "region", "south")));
        ingest(Entity.SALES_ORDER_LINES, salesHistory());
        // Two records the contract refuses, for the quarantine browser.
        ingestion.ingest(IngestRequest.of(Entity.SALES_ORDER_LINES, "e2e-erp-export", SourceKind.UPLOAD, "export.csv"), List.of(
                Map.of("line_id", "bad-1", "sku", "SKU-A", "location", "STORE-1", "quantity", "-4",
                        "ordered_at", "2025-03-01T10:00:00Z"),
                Map.of("line_id", "bad-2", "sku", "SKU-B", "location", "STORE-2", "quantity", "2",
                        "ordered_at", "not a date")));
        ingest(Entity.PURCHASE_ORDER_LINES, purchaseOrders());
        ingest(Entity.RECEIPTS, receipts());
    }

    /** A few more sales lines "now", as a live source would deliver them. */
    void liveSales(int lines) {
        List<Map<String, String>> records = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            int n = liveLine.incrementAndGet();
            records.add(Map.of("line_id", "live-" + n, "sku", SKUS.get(n % SKUS.size()),
                    "location", LOCATIONS.get(n % LOCATIONS.size()), "quantity", "3", "unit_price", "4.50",
                    "ordered_at", Instant.now().toString(), "channel", "web"));
        }
        ingestion.ingest(IngestRequest.of(Entity.SALES_ORDER_LINES, "e2e-live", SourceKind.UPLOAD, "live"), records);
    }

    private void ingest(Entity entity, List<Map<String, String>> records) {
        ingestion.ingest(IngestRequest.of(entity, "e2e-seed-" + entity.wireName(), SourceKind.UPLOAD, "e2e seed"), records);
    }

    /** 400 days of weekly-seasonal daily demand with a gentle trend, per SKU and store. */
    private static List<Map<String, String>> salesHistory() {
        List<Map<String, String>> lines = new ArrayList<>();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int d = 400; d >= 1; d--) {
            LocalDate day = today.minusDays(d);
            double weekly = 1 + 0.35 * Math.sin(2 * Math.PI * day.getDayOfWeek().getValue() / 7.0);
            for (int s = 0; s < SKUS.size(); s++) {
                for (int l = 0; l < LOCATIONS.size(); l++) {
                    double level = (20 + 10 * s + 5 * l) * weekly * (1 + (400 - d) / 1600.0);
                    long quantity = Math.max(0, Math.round(level + ((d * 7 + s * 3 + l) % 5) - 2));
                    lines.add(Map.of("line_id", "h-" + d + "-" + s + "-" + l, "sku", SKUS.get(s),
                            "location", LOCATIONS.get(l), "quantity", Long.toString(quantity), "unit_price", "4.50",
                            "ordered_at", day.atTime(10, 0).toInstant(ZoneOffset.UTC).toString(), "channel", "store"));
                }
            }
        }
        return lines;
    }

    /**
     * 260 purchase orders more than a year old (the lead-time model trains on those) and 30 recent
     * ones it scores; three recent ones arrive weeks late.
     */
    private static List<Map<String, String>> purchaseOrders() {
        List<Map<String, String>> lines = new ArrayList<>();
        for (int i = 0; i < 290; i++) {
            Instant ordered = orderedAt(i);
            lines.add(Map.of("po_line_id", "PO-" + i, "supplier", "SUP-" + (i % 3 + 1), "sku", SKUS.get(i % 3),
                    "location", LOCATIONS.get(i % 2), "quantity", "100", "ordered_at", ordered.toString(),
                    "promised_date", ordered.plus(Duration.ofDays(7)).atZone(ZoneOffset.UTC).toLocalDate().toString()));
        }
        return lines;
    }

    private static List<Map<String, String>> receipts() {
        List<Map<String, String>> receipts = new ArrayList<>();
        for (int i = 0; i < 290; i++) {
            boolean late = i == 270 || i == 280 || i == 289;
            Duration leadTime = late ? Duration.ofDays(45 + i % 7) : Duration.ofHours(7 * 24 + (i * 37) % 30 - 15);
            Instant received = orderedAt(i).plus(leadTime);
            receipts.add(Map.of("receipt_id", "R-" + i, "po_line_id", "PO-" + i, "quantity", "100",
                    "received_at", received.toString()));
        }
        return receipts;
    }

    private static Instant orderedAt(int i) {
        Instant now = Instant.now();
        return i < 260 ? now.minus(Duration.ofDays(700 - i)) : now.minus(Duration.ofDays(120 - (i - 260) * 2L));
    }
}
