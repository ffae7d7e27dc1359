package io.refinery.ingestion.contract;

import java.util.List;
import java.util.Map;

/**
 * The verdict of a contract on one record: typed values keyed by canonical field name when valid,
 * otherwise every violation found (the first one is the one reported).
 */
public record Validation(Map<String, Object> values, List<Violation> violations) {

    public boolean valid() {
        return violations.isEmpty();
    }
}
