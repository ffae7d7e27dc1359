package io.refinery.ingestion.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Position of an incremental JDBC poll: the last cursor value read and, for ties, the last key.
 * Values are kept as text with their kind so they bind back with the right SQL type.
 *
 * @param value    last cursor column value (ISO date-time or number), null before the first read
 * @param key      last tie-breaker key value, null when the cursor is itself unique
 * @param keyIsNumber whether the key binds as a number
 */
record JdbcCursor(String value, String key, boolean keyIsNumber) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final JdbcCursor START = new JdbcCursor(null, null, false);

    String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("value", value);
        node.put("key", key);
        node.put("keyIsNumber", keyIsNumber);
        return node.toString();
    }

    static JdbcCursor fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new JdbcCursor(node.path("value").isNull() ? null : node.path("value").asText(),
                    node.path("key").isNull() ? null : node.path("key").asText(), node.path("keyIsNumber").asBoolean());
        } catch (Exception e) {
            throw new IllegalStateException("stored JDBC cursor is unreadable: " + json, e);
        }
    }

    @Override
    public String toString() {
        return value == null ? "start" : key == null ? value : value + "/" + key;
    }
}
