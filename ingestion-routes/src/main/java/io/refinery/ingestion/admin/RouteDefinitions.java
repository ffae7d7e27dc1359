package io.refinery.ingestion.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Route definitions as stored JSON, and the readable list of changes between two of them. */
final class RouteDefinitions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RouteDefinitions() {
    }

    static String toJson(RouteDefinition d) {
        if (d == null) {
            return "";
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("id", d.id());
        node.put("kind", d.kind().wireName());
        node.put("entity", d.entity().wireName());
        node.put("driftPolicy", d.driftPolicy().name());
        ObjectNode options = node.putObject("options");
        new TreeMap<>(d.options()).forEach(options::put);
        return node.toString();
    }

    static RouteDefinition fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            Map<String, String> options = new TreeMap<>();
            node.path("options").properties().forEach(e -> options.put(e.getKey(), e.getValue().asText()));
            return new RouteDefinition(node.path("id").asText(), RouteKind.of(node.path("kind").asText()),
                    Entity.of(node.path("entity").asText()), DriftPolicy.valueOf(node.path("driftPolicy").asText()),
                    options);
        } catch (Exception e) {
            throw new IllegalStateException("stored route definition is unreadable: " + e.getMessage(), e);
        }
    }

    /** "field: before → after" lines; values of *Secret options are names, so they can be shown. */
    static String changes(RouteDefinition before, RouteDefinition after) {
        List<String> lines = new ArrayList<>();
        if (before == null || after == null) {
            return before == null ? "created" : "deleted";
        }
        if (before.kind() != after.kind()) {
            lines.add("kind: " + before.kind().wireName() + " → " + after.kind().wireName());
        }
        if (before.entity() != after.entity()) {
            lines.add("entity: " + before.entity().wireName() + " → " + after.entity().wireName());
        }
        if (before.driftPolicy() != after.driftPolicy()) {
            lines.add("driftPolicy: " + before.driftPolicy() + " → " + after.driftPolicy());
        }
        TreeSet<String> keys = new TreeSet<>(before.options().keySet());
        keys.addAll(after.options().keySet());
        for (String k : keys) {
            String b = before.options().get(k);
            String a = after.options().get(k);
            if (!java.util.Objects.equals(a, b)) {
                lines.add("options." + k + ": " + (b == null ? "(none)" : b) + " → " + (a == null ? "(none)" : a));
            }
        }
        return lines.isEmpty() ? "no change" : String.join("\n", lines);
    }
}
