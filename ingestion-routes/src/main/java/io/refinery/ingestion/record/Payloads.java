package io.refinery.ingestion.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** Raw payloads are the source fields as a JSON object, in source order, values as received. */
final class Payloads {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> FIELDS = new TypeReference<>() {
    };

    private Payloads() {
    }

    /**
     * A flat JSON object of strings, written by hand: Jackson's generic path was a tenth of the
     * record path's CPU. The output is what Jackson writes for the same map (the test compares).
     */
    static String encode(Map<String, String> fields) {
        StringBuilder json = new StringBuilder(16 + fields.size() * 24);
        json.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            string(json, e.getKey());
            json.append(':');
            if (e.getValue() == null) {
                json.append("null");
            } else {
                string(json, e.getValue());
            }
        }
        return json.append('}').toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    /** Jackson's encoding, the reference {@link #encode} must match. */
    static String encodeWithJackson(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> decode(String payload) {
        if (payload == null || payload.isEmpty()) {
            return new LinkedHashMap<>();
        }
        try {
            return JSON.readValue(payload, FIELDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("raw payload is not a field map: " + e.getOriginalMessage(), e);
        }
    }
}
