package io.refinery.ingestion.record;

import io.refinery.ingestion.contract.ContractParser;
import io.refinery.ingestion.contract.DataContract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sure-valid form on the shipped sales contract, value by value at its edges. {@link CsvBlockLaneTest} runs
 * the same rows through the lane and compares what the engine typed with what the contract decides.
 */
class SureValidRowTest {

    static final List<String> COLUMNS = List.of("line_id", "sku", "location", "quantity", "unit_price", "ordered_at",
            "channel");

    /** One value of one field, the rest of its row valid, and whether the form vouches for the row. */
    record Edge(String field, String value, boolean vouched) {
    }

    /** Edges that do not depend on the day they are checked. */
    static final List<Edge> EDGES = List.of(
            new Edge("line_id", "LE-plain", true), new Edge("line_id", " LE-lead", false),
            new Edge("line_id", "LE-trail ", false), new Edge("line_id", "LE-" + "x".repeat(61), true),
            new Edge("line_id", "LE-" + "y".repeat(62), false), new Edge("line_id", "", false),
            new Edge("sku", "", false), new Edge("sku", " a", false), new Edge("sku", "a ", false),
            new Edge("sku", "a b", true), new Edge("sku", "Sku-Mixed", true), new Edge("sku", "s".repeat(64), true),
            new Edge("sku", "s".repeat(65), false), new Edge("location", "", false), new Edge("location", "s 1", true),
            new Edge("location", " s1", false),
            new Edge("quantity", "0", true), new Edge("quantity", "-0", true), new Edge("quantity", "0.0000", true),
            new Edge("quantity", "1000000000", true), new Edge("quantity", "1000000000.0001", false),
            new Edge("quantity", "999999999.9999", true), new Edge("quantity", "-0.0001", false),
            new Edge("quantity", "12.12345", false), new Edge("quantity", "1e3", false), new Edge("quantity", ".5", false),
            new Edge("quantity", "5.", false), new Edge("quantity", "+5", false),
            new Edge("quantity", "00000000000001", true), new Edge("quantity", "000000000000001", false),
            new Edge("quantity", "", false), new Edge("quantity", " 1", false), new Edge("quantity", "1 ", false),
            new Edge("quantity", "NaN", false), new Edge("quantity", "-", false), new Edge("quantity", "007", true),
            new Edge("unit_price", "", true), new Edge("unit_price", "0", true), new Edge("unit_price", "-0.01", false),
            new Edge("unit_price", "abc", false), new Edge("unit_price", "2.5", true),
            new Edge("unit_price", "1000000000.5", false), new Edge("unit_price", " 2", false),
            new Edge("ordered_at", "2025-03-01T10:15Z", true), new Edge("ordered_at", "2025-03-01T10:15:07Z", true),
            new Edge("ordered_at", "2025-03-01T10:15:07.123Z", true),
            new Edge("ordered_at", "2025-03-01T10:15:07.12Z", false),
            new Edge("ordered_at", "2025-03-01T10:15:07.1234Z", false),
            new Edge("ordered_at", "2024-02-29T00:00Z", true), new Edge("ordered_at", "2025-02-29T00:00Z", false),
            new Edge("ordered_at", "2025-04-31T00:00Z", false), new Edge("ordered_at", "2025-13-01T00:00Z", false),
            new Edge("ordered_at", "2025-00-01T00:00Z", false), new Edge("ordered_at", "2025-03-00T00:00Z", false),
            new Edge("ordered_at", "2025-03-01T24:00Z", false), new Edge("ordered_at", "2025-03-01T23:60Z", false),
            new Edge("ordered_at", "2025-03-01T23:59:60Z", false), new Edge("ordered_at", "1999-12-31T23:59:59Z", false),
            new Edge("ordered_at", "2000-01-01T00:00Z", true), new Edge("ordered_at", "2099-01-01T00:00Z", false),
            new Edge("ordered_at", "2025-03-01t10:00Z", false), new Edge("ordered_at", "2025-03-01T10:00z", false),
            new Edge("ordered_at", "2025-03-01 10:00:00Z", false),
            new Edge("ordered_at", "2025-03-01T10:00:00+00:00", false),
            new Edge("ordered_at", "20250301T100000Z", false), new Edge("ordered_at", "2025-3-1T10:00Z", false),
            new Edge("ordered_at", "", false),
            new Edge("channel", "", true), new Edge("channel", "store", true), new Edge("channel", "STORE", true),
            new Edge("channel", "online", true), new Edge("channel", "ONLINE", true), new Edge("channel", "Retail", true),
            new Edge("channel", "wholesale", true), new Edge("channel", "fax", false), new Edge("channel", " web", false),
            new Edge("channel", "web ", false), new Edge("channel", "marketplace", true), new Edge("channel", "EDI", true),
            new Edge("channel", "ecommerce", true), new Edge("channel", "shop", true));

    /** Edges about the days ahead the contract accepts (two), from {@code today}. */
    static List<Edge> futureEdges(LocalDate today) {
        return List.of(new Edge("ordered_at", today.plusDays(2) + "T23:59Z", true),
                new Edge("ordered_at", today.plusDays(3) + "T00:00Z", false));
    }

    /** The edge's row: every other value valid; line ids from {@code n} unless the edge is about the line id. */
    static Map<String, String> row(Edge edge, int n) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("line_id", "LE-" + n);
        row.put("sku", "sku-1");
        row.put("location", "s1");
        row.put("quantity", "1");
        row.put("unit_price", "");
        row.put("ordered_at", "2025-03-01T10:00:00Z");
        row.put("channel", "store");
        row.put(edge.field(), edge.value());
        return row;
    }

    static DataContract salesContract() throws IOException {
        try (InputStream in = SureValidRowTest.class.getResourceAsStream("/contracts/sales-order-lines.v1.yaml")) {
            return ContractParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void eachEdgeIsVouchedForOnlyInTheContractsStrictForm() throws IOException {
        LocalDate today = LocalDate.of(2025, 6, 1);
        SureValidRow form = SureValidRow.compile(salesContract(), COLUMNS, today).orElseThrow();
        List<Edge> edges = new ArrayList<>(EDGES);
        edges.addAll(futureEdges(today));
        for (int pass = 1; pass <= 2; pass++) { // the second time, an enum's spellings are known
            for (int i = 0; i < edges.size(); i++) {
                Edge edge = edges.get(i);
                assertThat(test(form, row(edge, i))).as(edge + ", pass " + pass).isEqualTo(edge.vouched());
            }
        }
    }

    @Test
    void aContractItCannotSayExactlyHasNoForm() {
        DataContract collapsing = contract("""
                  - name: quantity
                    type: string
                    normalize: [collapse-spaces]
                """);
        DataContract tooFine = contract("""
                  - name: quantity
                    type: decimal
                    min: 0.00001
                """);
        DataContract datedSynonyms = contract("""
                  - name: quantity
                    type: datetime
                    synonyms: {never: '2000-01-01T00:00:00Z'}
                """);

        for (DataContract c : List.of(collapsing, tooFine, datedSynonyms)) {
            assertThat(SureValidRow.compile(c, List.of("line_id", "quantity"))).as(c.fields().toString()).isEmpty();
        }
        assertThat(SureValidRow.compile(contract("""
                  - name: quantity
                    type: decimal
                    min: 0.0001
                """), List.of("line_id", "quantity"))).isPresent();
    }

    /** A contract of a line id and the field given (YAML list items). */
    private static DataContract contract(String secondField) {
        return ContractParser.parse("""
                entity: sales-order-lines
                version: 9
                key: [line_id]
                fields:
                  - name: line_id
                    type: string
                    required: true
                """ + secondField);
    }

    private static boolean test(SureValidRow form, Map<String, String> row) {
        StringBuilder line = new StringBuilder();
        int[] starts = new int[COLUMNS.size()];
        int[] ends = new int[COLUMNS.size()];
        for (int i = 0; i < COLUMNS.size(); i++) {
            starts[i] = line.length();
            line.append(row.get(COLUMNS.get(i)));
            ends[i] = line.length();
        }
        return form.test(line.toString().getBytes(StandardCharsets.US_ASCII), starts, ends);
    }
}
