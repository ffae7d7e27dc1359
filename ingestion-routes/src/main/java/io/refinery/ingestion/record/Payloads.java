package io.refinery.ingestion.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.refinery.ingestion.SourceRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw payloads are the source fields as a JSON object, in source order, values as received. A record
 * block holds many: one line per record, {@code ["<offset>",{fields}]} (JSON escapes line breaks inside
 * strings, so a line is a record).
 */
final class Payloads {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> FIELDS = new TypeReference<>() {
    };
    private static final ObjectReader FIELDS_READER = JSON.readerFor(FIELDS);

    private Payloads() {
    }

    /**
     * A flat JSON object of strings, written by hand: Jackson's generic path was a tenth of the
     * record path's CPU. The output is what Jackson writes for the same map (the test compares).
     */
    static String encode(Map<String, String> fields) {
        return encode(new StringBuilder(16 + fields.size() * 24), fields).toString();
    }

    /** The records as one record block, each line its offset and its fields. */
    static String encodeBlock(List<SourceRecord> records) {
        StringBuilder block = new StringBuilder(records.size() * 160);
        for (SourceRecord r : records) {
            block.append('[');
            string(block, r.offset() == null ? "" : r.offset());
            block.append(',');
            encode(block, r.fields()).append("]\n");
        }
        return block.toString();
    }

    /** The records of a record block, in order. */
    static List<SourceRecord> decodeBlock(String block) {
        List<SourceRecord> records = new ArrayList<>();
        for (String line : block.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode record = JSON.readTree(line);
                if (!record.isArray() || record.size() != 2 || !record.get(1).isObject()) {
                    throw new IllegalStateException("raw payload is not a record block: line " + (records.size() + 1)
                            + " is not [offset, {fields}]");
                }
                LinkedHashMap<String, String> fields = FIELDS_READER.readValue(record.get(1));
                records.add(new SourceRecord(record.get(0).asText(), fields));
            } catch (IOException e) {
                throw new IllegalStateException("raw payload is not a record block: line " + (records.size() + 1)
                        + ": " + e.getMessage(), e);
            }
        }
        return records;
    }

    private static StringBuilder encode(StringBuilder json, Map<String, String> fields) {
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
        return json.append('}');
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
