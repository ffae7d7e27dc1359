package io.refinery.ops.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoSupplyChainTest {

    private static final DemoSupplyChain DEFAULT = DemoSupplyChain.withSeed(42);
    /** A smaller world whose two full years generate in about a second. */
    private static final DemoSupplyChain SMALL = new DemoSupplyChain(
            new DemoConfig(7, 60, 5, LocalDate.of(2024, 1, 1), LocalDate.of(2026, 1, 1)));

    private static List<Map<String, String>> records(DemoSupplyChain chain, DemoEntity entity, LocalDate from,
            LocalDate to) {
        return chain.history(from, to).records(entity).toList();
    }

    private static Map<String, String> categoryBySku(DemoSupplyChain chain) {
        return chain.history().records(DemoEntity.PRODUCTS)
                .collect(Collectors.toMap(p -> p.get("sku"), p -> p.get("category")));
    }

    private static LocalDate dayOf(String instant) {
        return LocalDate.ofInstant(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void sameSeedGivesIdenticalRecordsAndAnotherSeedDifferent() {
        LocalDate from = LocalDate.of(2024, 3, 1);
        LocalDate to = LocalDate.of(2024, 3, 15);
        DemoSupplyChain again = DemoSupplyChain.withSeed(42);
        DemoSupplyChain other = DemoSupplyChain.withSeed(43);

        for (DemoEntity entity : DemoEntity.values()) {
            assertThat(records(again, entity, from, to)).as(entity.entityName())
                    .isEqualTo(records(DEFAULT, entity, from, to));
        }
        for (DemoEntity entity : List.of(DemoEntity.PRODUCTS, DemoEntity.SALES_ORDER_LINES,
                DemoEntity.PURCHASE_ORDER_LINES, DemoEntity.RECEIPTS, DemoEntity.IOT_READINGS)) {
            assertThat(records(other, entity, from, to)).as(entity.entityName())
                    .isNotEqualTo(records(DEFAULT, entity, from, to));
        }
    }

    @Test
    void referenceDataAndRecordsHaveTheCanonicalShape() {
        DemoHistory history = DEFAULT.history();
        assertThat(Period.between(history.from(), history.to()).toTotalMonths()).isGreaterThanOrEqualTo(24);
        List<Map<String, String>> products = history.records(DemoEntity.PRODUCTS).toList();
        List<Map<String, String>> locations = history.records(DemoEntity.LOCATIONS).toList();
        List<Map<String, String>> suppliers = history.records(DemoEntity.SUPPLIERS).toList();
        assertThat(products.stream().map(p -> p.get("sku")).distinct().count()).isGreaterThanOrEqualTo(200);
        assertThat(products.stream().map(p -> p.get("category")).distinct().count()).isGreaterThanOrEqualTo(8);
        assertThat(locations).hasSizeGreaterThanOrEqualTo(5);
        assertThat(locations.stream().map(l -> l.get("region")).distinct().count()).isGreaterThanOrEqualTo(3);
        assertThat(suppliers.stream().map(s -> s.get("country")).distinct().count()).isGreaterThanOrEqualTo(5);

        Set<String> skus = products.stream().map(p -> p.get("sku")).collect(Collectors.toSet());
        Set<String> locationIds = locations.stream().map(l -> l.get("location")).collect(Collectors.toSet());
        // The first and the last week of the two years: data spans the whole history.
        for (LocalDate weekStart : List.of(history.from(), history.to().minusDays(7))) {
            DemoHistory week = DEFAULT.history(weekStart, weekStart.plusDays(7));
            for (DemoEntity entity : DemoEntity.values()) {
                week.records(entity).forEach(r -> assertThat(List.copyOf(r.keySet())).isEqualTo(entity.fields()));
            }
            List<Map<String, String>> sales = week.records(DemoEntity.SALES_ORDER_LINES).toList();
            assertThat(sales).hasSizeGreaterThan(5_000);
            for (Map<String, String> line : sales) {
                assertThat(skus.contains(line.get("sku")) && locationIds.contains(line.get("location")))
                        .as("known sku and location: %s", line).isTrue();
                assertThat(new BigDecimal(line.get("quantity"))).isPositive();
                assertThat(new BigDecimal(line.get("unit_price"))).isPositive();
                assertThat(dayOf(line.get("ordered_at"))).isBetween(weekStart, weekStart.plusDays(6));
                assertThat(line.get("channel")).isIn("store", "online", "b2b");
            }
            Set<String> poLines = week.records(DemoEntity.PURCHASE_ORDER_LINES)
                    .peek(po -> assertThat(LocalDate.parse(po.get("promised_date")))
                            .isAfter(dayOf(po.get("ordered_at"))))
                    .map(po -> po.get("po_line_id")).collect(Collectors.toSet());
            assertThat(poLines).isNotEmpty();
            assertThat(week.records(DemoEntity.RECEIPTS)).allMatch(r -> poLines.contains(r.get("po_line_id")),
                    "references a PO line of the same history");
            week.records(DemoEntity.IOT_READINGS).forEach(r -> Double.parseDouble(r.get("value")));
        }
        assertThat(records(DEFAULT, DemoEntity.SALES_ORDER_LINES, history.from(), history.from().plusDays(3)))
                .extracting(r -> r.get("line_id")).doesNotHaveDuplicates();
    }

    @Test
    void demandFollowsTheWeekAndTheYear() {
        Map<String, String> category = categoryBySku(DEFAULT);
        Map<DayOfWeek, Long> officeByWeekday = new TreeMap<>();
        DEFAULT.history(LocalDate.of(2024, 3, 4), LocalDate.of(2024, 4, 29)).records(DemoEntity.SALES_ORDER_LINES)
                .filter(line -> category.get(line.get("sku")).equals("Office"))
                .forEach(line -> officeByWeekday.merge(dayOf(line.get("ordered_at")).getDayOfWeek(),
                        Long.parseLong(line.get("quantity")), Long::sum));
        assertThat(officeByWeekday.get(DayOfWeek.MONDAY)).isGreaterThan(2 * officeByWeekday.get(DayOfWeek.SUNDAY));

        assertThat(unitsOf(category, "Garden", LocalDate.of(2024, 5, 1)))
                .isGreaterThan(2 * unitsOf(category, "Garden", LocalDate.of(2024, 11, 1)));
        assertThat(unitsOf(category, "Heating", LocalDate.of(2024, 12, 1)))
                .isGreaterThan(2 * unitsOf(category, "Heating", LocalDate.of(2024, 6, 1)));
    }

    private static long unitsOf(Map<String, String> category, String name, LocalDate monthStart) {
        return DEFAULT.history(monthStart, monthStart.plusMonths(1)).records(DemoEntity.SALES_ORDER_LINES)
                .filter(line -> category.get(line.get("sku")).equals(name))
                .mapToLong(line -> Long.parseLong(line.get("quantity"))).sum();
    }

    @Test
    void someSeriesAreIntermittentOthersSellDaily() {
        LocalDate from = LocalDate.of(2024, 1, 1);
        LocalDate to = LocalDate.of(2025, 1, 1);
        Map<String, Set<LocalDate>> salesDays = new HashMap<>();
        SMALL.history(from, to).records(DemoEntity.SALES_ORDER_LINES).forEach(line -> salesDays
                .computeIfAbsent(line.get("sku") + "@" + line.get("location"), key -> new HashSet<>())
                .add(dayOf(line.get("ordered_at"))));
        int days = 366;
        long intermittent = salesDays.values().stream().filter(d -> d.size() < 0.3 * days).count();
        long daily = salesDays.values().stream().filter(d -> d.size() > 0.9 * days).count();
        assertThat(intermittent).as("series with > 70%% zero days of %d", salesDays.size())
                .isGreaterThanOrEqualTo(salesDays.size() / 10);
        assertThat(daily).isGreaterThanOrEqualTo(salesDays.size() / 5);
    }

    @Test
    void newItemsStartAndDiscontinuedItemsStopMidHistory() {
        Map<String, LocalDate> first = new HashMap<>();
        Map<String, LocalDate> last = new HashMap<>();
        SMALL.history().records(DemoEntity.SALES_ORDER_LINES).forEach(line -> {
            LocalDate day = dayOf(line.get("ordered_at"));
            first.merge(line.get("sku"), day, (a, b) -> a.isBefore(b) ? a : b);
            last.merge(line.get("sku"), day, (a, b) -> a.isAfter(b) ? a : b);
        });
        LocalDate start = SMALL.config().catalogStart();
        LocalDate end = SMALL.config().catalogEnd();
        assertThat(first.values().stream().filter(day -> day.isAfter(start.plusDays(100)))).isNotEmpty();
        assertThat(last.values().stream().filter(day -> day.isBefore(end.minusDays(60)))).isNotEmpty();
    }

    @Test
    void promotionsCutThePriceAndLiftDemand() {
        LocalDate from = LocalDate.of(2024, 2, 1);
        LocalDate to = LocalDate.of(2025, 1, 1);
        DemoHistory history = SMALL.history(from, to);
        List<Map<String, String>> sales = history.records(DemoEntity.SALES_ORDER_LINES).toList();
        Map<String, Map<LocalDate, Long>> unitsBySkuAndDay = new HashMap<>();
        Map<String, Double> storePriceBySkuAndDay = new HashMap<>();
        for (Map<String, String> line : sales) {
            LocalDate day = dayOf(line.get("ordered_at"));
            unitsBySkuAndDay.computeIfAbsent(line.get("sku"), key -> new HashMap<>())
                    .merge(day, Long.parseLong(line.get("quantity")), Long::sum);
            if (line.get("channel").equals("store")) {
                storePriceBySkuAndDay.put(line.get("sku") + day, Double.parseDouble(line.get("unit_price")));
            }
        }
        double promoUnits = 0;
        double baselineUnits = 0;
        int cheaper = 0;
        int compared = 0;
        List<Map<String, String>> promotions = history.records(DemoEntity.PROMOTIONS)
                .filter(p -> LocalDate.parse(p.get("starts_on")).isAfter(from.plusDays(28))).toList();
        assertThat(promotions).hasSizeGreaterThan(50);
        for (Map<String, String> promotion : promotions) {
            Map<LocalDate, Long> units = unitsBySkuAndDay.getOrDefault(promotion.get("sku"), Map.of());
            LocalDate starts = LocalDate.parse(promotion.get("starts_on"));
            LocalDate ends = LocalDate.parse(promotion.get("ends_on"));
            long length = ends.toEpochDay() - starts.toEpochDay() + 1;
            for (LocalDate day = starts; !day.isAfter(ends); day = day.plusDays(1)) {
                promoUnits += units.getOrDefault(day, 0L) / (double) length;
            }
            // Baseline: the four weeks before, per day.
            for (LocalDate day = starts.minusDays(28); day.isBefore(starts); day = day.plusDays(1)) {
                baselineUnits += units.getOrDefault(day, 0L) / 28.0;
            }
            Double promoPrice = storePriceBySkuAndDay.get(promotion.get("sku") + starts);
            Double regularPrice = storePriceBySkuAndDay.get(promotion.get("sku") + starts.minusDays(1));
            if (promoPrice != null && regularPrice != null) {
                compared++;
                if (promoPrice < regularPrice * (1 - Integer.parseInt(promotion.get("discount_pct")) / 100.0) + 0.011) {
                    cheaper++;
                }
            }
        }
        assertThat(promoUnits / baselineUnits).isGreaterThan(1.4);
        assertThat(compared).isGreaterThan(20);
        assertThat(cheaper).isEqualTo(compared);
    }

    @Test
    void injectedLateDeliveriesAreLabelledAndTrulyLate() {
        DemoHistory history = DEFAULT.history(LocalDate.of(2024, 1, 1), LocalDate.of(2025, 1, 1));
        Map<String, Map<String, String>> lines = history.records(DemoEntity.PURCHASE_ORDER_LINES)
                .collect(Collectors.toMap(po -> po.get("po_line_id"), Function.identity()));
        Map<String, List<Map<String, String>>> receiptsByLine = history.records(DemoEntity.RECEIPTS)
                .collect(Collectors.groupingBy(r -> r.get("po_line_id")));
        Set<String> anomalous = history.anomalousPoLineIds();

        assertThat(anomalous).allMatch(lines::containsKey, "is a PO line of the history");
        assertThat((double) anomalous.size() / lines.size()).isBetween(0.01, 0.06);

        Map<String, List<Double>> normalLeadByLane = new HashMap<>();
        List<Double> normalDelays = new ArrayList<>();
        List<Double> anomalousDelays = new ArrayList<>();
        Map<String, Double> anomalousLead = new HashMap<>();
        int partial = 0;
        for (var entry : receiptsByLine.entrySet()) {
            Map<String, String> line = lines.get(entry.getKey());
            Instant firstReceipt = entry.getValue().stream().map(r -> Instant.parse(r.get("received_at")))
                    .min(Instant::compareTo).orElseThrow();
            double lead = days(Instant.parse(line.get("ordered_at")), firstReceipt);
            double delay = days(LocalDate.parse(line.get("promised_date")).atStartOfDay(ZoneOffset.UTC).toInstant(),
                    firstReceipt);
            long received = entry.getValue().stream().mapToLong(r -> Long.parseLong(r.get("quantity"))).sum();
            assertThat(received).isLessThanOrEqualTo(Long.parseLong(line.get("quantity")));
            partial += entry.getValue().size() > 1 ? 1 : 0;
            if (anomalous.contains(entry.getKey())) {
                anomalousDelays.add(delay);
                anomalousLead.put(entry.getKey(), lead);
            } else {
                normalDelays.add(delay);
                normalLeadByLane.computeIfAbsent(line.get("supplier") + line.get("location"), k -> new ArrayList<>())
                        .add(lead);
            }
        }
        assertThat(partial).isGreaterThan(receiptsByLine.size() / 20);
        assertThat(anomalousDelays).hasSizeGreaterThan(500).allSatisfy(delay -> assertThat(delay).isGreaterThan(4));
        assertThat(median(anomalousDelays)).isGreaterThan(quantile(normalDelays, 0.95));
        for (var entry : anomalousLead.entrySet()) {
            Map<String, String> line = lines.get(entry.getKey());
            List<Double> lane = normalLeadByLane.get(line.get("supplier") + line.get("location"));
            assertThat(entry.getValue()).as(entry.getKey()).isGreaterThan(1.5 * median(lane));
        }
    }

    private static double days(Instant from, Instant to) {
        return Duration.between(from, to).toMinutes() / 1440.0;
    }

    private static double median(List<Double> values) {
        return quantile(values, 0.5);
    }

    private static double quantile(List<Double> values, double q) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    @Test
    void liveFeedPlaysTheSameWorldForward() {
        LocalDate day = LocalDate.of(2025, 6, 2);
        DemoLiveFeed live = DEFAULT.live(day.atStartOfDay(ZoneOffset.UTC).toInstant());
        Map<DemoEntity, List<Map<String, String>>> played = new HashMap<>();
        Instant expectedFrom = live.cursor();
        for (int hour = 0; hour < 24; hour++) {
            LiveSlice slice = live.next(Duration.ofHours(1));
            assertThat(slice.from()).isEqualTo(expectedFrom);
            expectedFrom = slice.to();
            slice.records().forEach((entity, records) ->
                    played.computeIfAbsent(entity, e -> new ArrayList<>()).addAll(records));
        }
        DemoHistory sameDay = DEFAULT.history(day, day.plusDays(1));
        for (DemoEntity entity : List.of(DemoEntity.SALES_ORDER_LINES, DemoEntity.PURCHASE_ORDER_LINES,
                DemoEntity.IOT_READINGS)) {
            assertThat(played.get(entity)).as(entity.entityName())
                    .containsExactlyInAnyOrderElementsOf(sameDay.records(entity).toList());
        }
        List<Map<String, String>> landedThatDay = DEFAULT
                .history(day.minusDays(Replenishment.MAX_LEAD_DAYS), day.plusDays(1))
                .records(DemoEntity.RECEIPTS)
                .filter(r -> dayOf(r.get("received_at")).equals(day)).toList();
        assertThat(landedThatDay).isNotEmpty();
        assertThat(played.get(DemoEntity.RECEIPTS)).containsExactlyInAnyOrderElementsOf(landedThatDay);
        assertThat(played.get(DemoEntity.SALES_ORDER_LINES)).hasSizeGreaterThan(1_000);
    }
}
