package io.refinery.ingestion.contract;

import java.util.List;
import java.util.Optional;

/**
 * A versioned, human-readable data contract of one entity (loaded from
 * {@code contracts/<entity>.v<version>.yaml}).
 *
 * @param entity      entity name as used in URLs, e.g. {@code sales-order-lines}
 * @param version     contract version; the highest registered one is active
 * @param description what the entity is, for people
 * @param key         fields that identify a record; duplicates within a batch are superseded by the last
 * @param fields      the fields, in canonical order
 */
public record DataContract(String entity, int version, String description, List<String> key,
                           List<FieldSpec> fields) {

    /** {@code entity.vN}, stored with every decision the contract made. */
    public String id() {
        return entity + ".v" + version;
    }

    public Optional<FieldSpec> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public List<String> fieldNames() {
        return fields.stream().map(FieldSpec::name).toList();
    }
}
