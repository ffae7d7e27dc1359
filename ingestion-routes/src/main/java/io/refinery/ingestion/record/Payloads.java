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

    static String encode(Map<String, String> fields) {
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
