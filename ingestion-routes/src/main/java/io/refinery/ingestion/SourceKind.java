package io.refinery.ingestion;

import java.util.Locale;

/** Where records came from; stored as {@code source} in the raw layer. */
public enum SourceKind {
    FILE, JDBC, REST, MQTT, UPLOAD, DEMO;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
