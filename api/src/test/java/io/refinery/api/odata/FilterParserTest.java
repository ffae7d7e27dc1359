package io.refinery.api.odata;

import io.refinery.warehouse.api.RowFilter;
import io.refinery.warehouse.api.RowFilter.Compare;
import io.refinery.warehouse.api.RowFilter.Operator;
import io.refinery.warehouse.api.ServedColumn;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterParserTest {

    private static RowFilter parse(String text) {
        return FilterParser.parse(text, name -> EntitySet.DemandDaily.column(name).or(() ->
                EntitySet.LeadTimeAnomalies.column(name)).orElse(null));
    }

    @Test
    void and_binds_tighter_than_or_and_parentheses_group() {
        assertThat(parse("sku eq 'A' or location eq 'B' and quantity gt 2")).isEqualTo(new RowFilter.Any(List.of(
                new Compare("sku", Operator.EQ, "A"),
                new RowFilter.All(List.of(new Compare("location", Operator.EQ, "B"),
                        new Compare("quantity", Operator.GT, new BigDecimal("2")))))));
        assertThat(parse("(sku eq 'A' or sku eq 'B') and day ge 2025-01-01")).isEqualTo(new RowFilter.All(List.of(
                new RowFilter.Any(List.of(new Compare("sku", Operator.EQ, "A"), new Compare("sku", Operator.EQ, "B"))),
                new Compare("day", Operator.GE, LocalDate.parse("2025-01-01")))));
    }

    @Test
    void literals_are_typed_by_their_column_and_quotes_are_unescaped() {
        assertThat(parse("sku eq 'O''Brien'")).isEqualTo(new Compare("sku", Operator.EQ, "O'Brien"));
        assertThat(parse("order_lines le 3")).isEqualTo(new Compare("order_lines", Operator.LE, 3L));
        assertThat(parse("sku eq null")).isEqualTo(new Compare("sku", Operator.EQ, null));
        assertThat(parse("ordered_at lt 2025-01-01T10:00:00+01:00"))
                .isEqualTo(new Compare("ordered_at", Operator.LT, Instant.parse("2025-01-01T09:00:00Z")));
    }

    @Test
    void a_date_time_bound_on_a_date_column_keeps_its_meaning() {
        assertThat(parse("day ge 2025-01-01T00:00:00Z")).isEqualTo(new Compare("day", Operator.GE, LocalDate.parse("2025-01-01")));
        assertThat(parse("day ge 2025-01-01T12:00:00Z")).isEqualTo(new Compare("day", Operator.GT, LocalDate.parse("2025-01-01")));
        assertThat(parse("day lt 2025-02-01T12:00:00Z")).isEqualTo(new Compare("day", Operator.LE, LocalDate.parse("2025-02-01")));
    }

    @Test
    void anything_outside_the_grammar_is_refused_with_a_reason() {
        for (String bad : List.of("sku eq 'A' or 1 eq 1", "sku eq 'unterminated", "contains(sku,'A')", "sku eq sku",
                "quantity eq 'x'", "day gt 2025-13-01", "order_lines eq 1.5", "sku eq 'A' and", "sku in ('A')",
                "sku eq 'A'; drop table x", "password eq 'x'", "(".repeat(40) + "sku eq 'A'" + ")".repeat(40))) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(FilterParser.InvalidFilterException.class)
                    .hasMessageNotContaining("Exception");
        }
    }
}
