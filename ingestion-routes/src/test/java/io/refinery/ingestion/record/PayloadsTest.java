package io.refinery.ingestion.record;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
}
