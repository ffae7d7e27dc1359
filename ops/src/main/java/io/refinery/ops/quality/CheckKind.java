package io.refinery.ops.quality;

import java.util.Locale;

/** What a check looks at (the dbt / Great Expectations vocabulary, in snake_case in the YAML). */
public enum CheckKind {
    NOT_NULL, UNIQUE, ACCEPTED_VALUES, RANGE, ROW_COUNT, ROW_COUNT_CHANGE, FRESHNESS, DRIFT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static CheckKind of(String id) {
        for (CheckKind kind : values()) {
            if (kind.id().equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown check kind '" + id + "'");
    }
}
