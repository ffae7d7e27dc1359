package io.refinery.ingestion.contract;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContractEngineTest {

    private final ContractRegistry registry = new ContractRegistry();
    private final ContractEngine engine = new ContractEngine(Clock.fixed(Instant.parse("2025-06-01T00:00:00Z"),
            ZoneOffset.UTC));
    private final DataContract sales = registry.active("sales-order-lines");

    private Map<String, String> sale(String field, String value) {
        Map<String, String> r = new HashMap<>(Map.of("line_id", " L-1 ", "sku", " ab-1 ", "location", "s1",
                "quantity", "2.5", "ordered_at", "2025-03-01T10:00:00+02:00", "channel", "Online"));
        if (value == null) {
            r.remove(field);
        } else {
            r.put(field, value);
        }
        return r;
    }

    private Violation firstViolation(Map<String, String> record) {
        Validation v = engine.validate(sales, record, ParseOptions.UTC);
        assertThat(v.valid()).as("expected a violation").isFalse();
        return v.violations().getFirst();
    }

    @Test
    void everyShippedContractLoadsAndNamesItsEntityAndVersion() {
        assertThat(registry.all()).extracting(DataContract::id).contains("sales-order-lines.v1",
                "purchase-order-lines.v1", "receipts.v1", "iot-readings.v1", "products.v1", "locations.v1",
                "suppliers.v1");
    }

    @Test
    void aValidRecordIsTrimmedCasedTypedAndMovedToUtc() {
        Validation v = engine.validate(sales, sale("unit_price", null), ParseOptions.UTC);

        assertThat(v.valid()).isTrue();
        assertThat(v.values()).containsEntry("line_id", "L-1").containsEntry("sku", "AB-1")
                .containsEntry("quantity", new BigDecimal("2.5000")).containsEntry("channel", "web")
                .containsEntry("ordered_at", Instant.parse("2025-03-01T08:00:00Z")).doesNotContainKey("unit_price");
    }

    @Test
    void dateTimesWithoutZoneUseTheSourceZoneAndDatesStartTheDay() {
        ParseOptions berlin = new ParseOptions(ZoneId.of("Europe/Berlin"), "dd.MM.yyyy", null);

        assertThat(engine.validate(sales, sale("ordered_at", "2025-03-01 10:00"), berlin).values().get("ordered_at"))
                .isEqualTo(Instant.parse("2025-03-01T09:00:00Z"));
        assertThat(engine.validate(sales, sale("ordered_at", "01.03.2025"), berlin).values().get("ordered_at"))
                .isEqualTo(Instant.parse("2025-02-28T23:00:00Z"));
        assertThat(engine.validate(sales, sale("ordered_at", "2025-03-01T10:00:00Z[Europe/Paris]"), berlin).valid()).isTrue();
    }

    @Test
    void eachRuleRefusesWithItsNameTheFieldAndTheValue() {
        assertThat(firstViolation(sale("quantity", "-1"))).isEqualTo(new Violation("range", "quantity", "-1",
                "below the minimum 0"));
        assertThat(firstViolation(sale("quantity", "NaN")).rule()).isEqualTo("type");
        assertThat(firstViolation(sale("sku", null)).rule()).isEqualTo("required");
        assertThat(firstViolation(sale("channel", "fax")).rule()).isEqualTo("allowed");
        assertThat(firstViolation(sale("line_id", "x".repeat(65))).rule()).isEqualTo("max-length");
        assertThat(firstViolation(sale("sku", "caf\uFFFD")).rule()).isEqualTo("encoding");
        assertThat(firstViolation(sale("ordered_at", "2025-02-29")).rule()).isEqualTo("type");
        assertThat(firstViolation(sale("ordered_at", "2025-06-10")).reason()).contains("future");
        assertThat(firstViolation(sale("ordered_at", "1999-01-01")).reason()).contains("before 2000-01-01");
        Map<String, String> malformed = sale("quantity", "1");
        malformed.put(ContractEngine.MALFORMED_MARKER, "row has 3 values, header has 7");
        assertThat(firstViolation(malformed).rule()).isEqualTo("malformed");
    }

    @Test
    void piiColumnsAreMaskedAndHugeValuesCutInWhatTheQuarantineShows() {
        DataContract suppliers = registry.active("suppliers");
        Validation v = engine.validate(suppliers, Map.of("supplier", "s", "name", "n".repeat(300), "country", "DE"),
                ParseOptions.UTC);

        assertThat(v.violations().getFirst().value()).isEqualTo("***");
        assertThat(ContractEngine.shown(sales.field("sku").orElseThrow(), "y".repeat(5000))).hasSize(201);
    }

    @Test
    void unitsAreNormalisedBySynonyms() {
        DataContract products = registry.active("products");
        assertThat(engine.validate(products, Map.of("sku", "p", "name", "Milk  1 L", "unit", "pcs"), ParseOptions.UTC)
                .values()).containsEntry("unit", "EA").containsEntry("name", "Milk 1 L")
                .containsEntry("category", "uncategorised");
        assertThat(LocalDate.parse("2025-01-01")).isNotNull();
    }

    @Test
    void aContractWithUnknownPropertiesOrAnOptionalKeyIsRefused() {
        assertThatThrownBy(() -> ContractParser.parse("entity: x\nversion: 1\nkey: [a]\nfields:\n"
                + "  - {name: a, type: string, required: true, colour: red}\n")).hasMessageContaining("colour");
        assertThatThrownBy(() -> ContractParser.parse("entity: x\nversion: 1\nkey: [a]\nfields:\n"
                + "  - {name: a, type: string}\n")).hasMessageContaining("must be required");
        assertThatThrownBy(() -> registry.register(registry.source("products.v1").orElseThrow()
                .replace("maxLength: 256", "maxLength: 9"))).hasMessageContaining("already exists");
    }

    @Test
    void theFastUtcDateTimeFormAgreesWithTheIsoParserAndLeavesEverythingElseToIt() {
        for (String text : new String[]{"2025-03-01T10:00Z", "2025-03-01T10:00:59Z", "2024-02-29T23:59:59.999Z",
                "1970-01-01T00:00:00.000Z", "2025-12-31T00:00:01Z"}) {
            assertThat(ContractEngine.isoUtc(text)).as(text)
                    .isEqualTo(java.time.OffsetDateTime.parse(text).toInstant());
        }
        for (String text : new String[]{"2025-02-30T10:00:00Z", "2025-13-01T10:00:00Z", "2025-03-01T24:00:00Z",
                "2025-03-01T10:60:00Z", "2025-03-01T10:00:00+01:00", "2025-03-01 10:00:00Z", "2025-03-01T1a:00:00Z",
                "2025-03-01T10:00:00.1234Z", "2025-03-01"}) {
            assertThat(ContractEngine.isoUtc(text)).as(text).isNull();
        }
    }
}
