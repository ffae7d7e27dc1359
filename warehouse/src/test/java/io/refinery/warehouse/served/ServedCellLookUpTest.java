package io.refinery.warehouse.served;

import io.refinery.warehouse.test.WarehouseTest;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cells order lines counted in before they are re-sent, found by the engine from the lines' ids: the
 * ids are matched by checksum within their range, so the JVM's checksum of every kind of id must be the
 * engine's (quotes, backslashes, non-ASCII, ids longer than one length byte of RowBinary).
 */
@WarehouseTest
class ServedCellLookUpTest {

    private static final String LONG_ID = "L-" + "x".repeat(200);

    @Autowired
    DSLContext dsl;

    @Autowired
    ServedLayer served;

    @Test
    void findsTheCellsOfLinesWhateverTheirIds() {
        line("O'Brien\\1", "SKU-Q", "2025-03-01");
        line("Zürich-7", "SKU-Z", "2025-03-04");
        line(LONG_ID, "SKU-L", "2025-03-09");
        line("plain-1", "SKU-P", "2025-02-20");

        ServedLayer.DemandTouch touch = new ServedLayer.DemandTouch();
        served.addDemandCellsOf(List.of("O'Brien\\1", "Zürich-7", LONG_ID, "not-there"), touch);

        assertThat(touch.skus()).containsExactlyInAnyOrder("SKU-Q", "SKU-Z", "SKU-L");
        assertThat(touch.from()).isEqualTo(LocalDate.of(2025, 3, 1));
        assertThat(touch.to()).isEqualTo(LocalDate.of(2025, 3, 9));
    }

    @Test
    void idsOutsideEveryLineOfTheTableFindNothing() {
        line("plain-2", "SKU-P", "2025-02-21");

        ServedLayer.DemandTouch touch = new ServedLayer.DemandTouch();
        served.addDemandCellsOf(List.of("zz-new-1", "zz-new-2"), touch);

        assertThat(touch.isEmpty()).isTrue();
    }

    private void line(String lineId, String sku, String day) {
        dsl.execute("INSERT INTO sales_order_lines (line_id, sku, location, quantity, ordered_at, channel, batch_id,"
                + " record_no, version) VALUES ({0}, {1}, 'S1', 1, toDateTime64({2}, 3, 'UTC'), 'store',"
                + " generateUUIDv4(), 0, 1)", lineId, sku, day + " 10:00:00");
    }
}
