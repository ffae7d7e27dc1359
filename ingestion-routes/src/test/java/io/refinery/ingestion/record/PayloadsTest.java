package io.refinery.ingestion.record;

import io.refinery.ingestion.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadsTest {

    @Test
    void theHandWrittenEncodingIsJacksonsAndDecodesBackToTheSameFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("line_id", "L-1");
        fields.put("quote \" and \\ back", "tab\tnew\nline\rcr\bbs\fff");
        fields.put("control", "\u0001\u001f\u007f");
        fields.put("unicode", "Größe ✓ 𝄞 \uFFFD");
        fields.put("empty", "");
        fields.put("null", null);
        fields.put("", "json {\"nested\": [1, 2]}");

        String encoded = Payloads.encode(fields);

        assertThat(encoded).isEqualTo(Payloads.encodeWithJackson(fields));
        assertThat(Payloads.decode(encoded)).containsExactlyEntriesOf(fields);
        assertThat(Payloads.encode(Map.of())).isEqualTo("{}");
    }

    @Test
    void aRecordBlockIsALinePerRecordAndDecodesBackToTheSameOffsetsAndFields() {
        Map<String, String> awkward = new LinkedHashMap<>();
        awkward.put("value", "line\nbreak, \"quoted\" ✓");
        awkward.put("null", null);
        List<SourceRecord> records = List.of(
                new SourceRecord("site/a/device/1/temp", Map.of("value", "20.5")),
                new SourceRecord("site/b/device/2/temp\nodd", awkward),
                new SourceRecord(null, Map.of()));

        String block = Payloads.encodeBlock(records);

        assertThat(block.lines()).hasSize(3);
        assertThat(Payloads.decodeBlock(block)).containsExactly(records.get(0), records.get(1),
                new SourceRecord("", Map.of()));
        assertThat(Payloads.decodeBlock("")).isEmpty();
        assertThatThrownBy(() -> Payloads.decodeBlock("[\"x\",{\"a\":")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a record block");
    }
}
