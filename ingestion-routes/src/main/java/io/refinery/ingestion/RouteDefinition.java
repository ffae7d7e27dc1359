package io.refinery.ingestion;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A route as data: its id (also the Camel route id and the raw hash chain), kind, entity, drift
 * policy and the kind's options (allowlisted per kind; secrets only as {@code *Secret} references).
 */
public record RouteDefinition(String id, RouteKind kind, Entity entity, DriftPolicy driftPolicy,
                              Map<String, String> options) {

    public RouteDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(entity, "entity");
        driftPolicy = driftPolicy == null ? DriftPolicy.ACCEPT_AND_FLAG : driftPolicy;
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(options));
    }

    public String option(String name, String fallback) {
        String value = options.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
