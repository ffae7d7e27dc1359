package io.refinery.ingestion.record;

import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.SourceKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lane's reader looks at rows eight bytes at a time: a byte it must notice (a line feed, a quote, a
 * comma, anything not printable ASCII) is noticed wherever it falls in a word or in a row's last few bytes.
 */
class CsvBlockReaderTest {

    private static final String HEADER = "line_id,sku,location,quantity,unit_price,ordered_at,channel\n";
    private static final String ROW = "LR-%s,sku-1,s1,3,1.50,2025-03-01T10:15:00Z,store";

    @Test
    void rowsOfEveryLengthEndAtTheirLineFeedsAndArePlain() throws IOException {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 40; i++) {
            csv.append(ROW.formatted("x".repeat(i))).append('\n'); // the line feed at every offset of a word
        }
        CsvBlockLane.Block block = read(csv.toString().getBytes(StandardCharsets.US_ASCII));

        assertThat(block.rows()).isEqualTo(40);
        assertThat(block.plain()).isTrue();
        assertThat(block.firstKey()).isEqualTo("LR-");
        assertThat(block.lastKey()).isEqualTo("LR-" + "x".repeat(39));
    }

    @Test
    void aByteThatIsNotPlainIsNoticedAtEveryPositionOfARow() throws IOException {
        byte[] notPlain = {'\t', '\r', 0x00, 0x1f, 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xff, '"', ','};
        byte[] row = ROW.formatted("a").getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; at < row.length; at++) {
            for (byte b : notPlain) {
                if (row[at] == b) {
                    continue; // a comma where there is one already
                }
                byte[] changed = row.clone();
                changed[at] = b;
                ByteArrayOutputStream csv = new ByteArrayOutputStream();
                csv.writeBytes(HEADER.getBytes(StandardCharsets.US_ASCII));
                csv.writeBytes(ROW.formatted("first").getBytes(StandardCharsets.US_ASCII));
                csv.write('\n');
                csv.writeBytes(changed);
                csv.write('\n');
                csv.writeBytes(ROW.formatted("last").getBytes(StandardCharsets.US_ASCII));
                csv.write('\n');

                CsvBlockLane.Block block = read(csv.toByteArray());

                assertThat(block.plain()).as("byte 0x%02x at %d", b & 0xff, at).isFalse();
                if (b != '"') { // a quote opens a quoted value: the rows then end elsewhere
                    assertThat(block.rows()).as("byte 0x%02x at %d", b & 0xff, at).isEqualTo(3);
                }
            }
        }
    }

    private static CsvBlockLane.Block read(byte[] csv) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(csv);
        byte[] header = CsvBlockLane.headerLine(in);
        CsvBlockLane.Plan plan = CsvBlockLane.plan(IngestRequest.of(Entity.SALES_ORDER_LINES, "r", SourceKind.FILE,
                "f.csv"), SureValidRowTest.salesContract(), StandardCharsets.UTF_8, ',', header).orElseThrow();
        return new CsvBlockLane.Reader(in, plan, CsvBlockLane.blockBytes(csv.length, 2)).next(1_000);
    }
}
