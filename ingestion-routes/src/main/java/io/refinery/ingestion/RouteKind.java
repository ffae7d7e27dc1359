package io.refinery.ingestion;

import java.util.Arrays;

/** The route kinds an administrator may define; nothing else can be run as a route. */
public enum RouteKind {
    FILE_DROP("file-drop", SourceKind.FILE), MQTT("mqtt", SourceKind.MQTT), JDBC("jdbc", SourceKind.JDBC),
    REST("rest", SourceKind.REST);

    private final String wireName;
    private final SourceKind source;

    RouteKind(String wireName, SourceKind source) {
        this.wireName = wireName;
        this.source = source;
    }

    /** The source recorded in the raw layer for records of routes of this kind. */
    public SourceKind source() {
        return source;
    }

    public String wireName() {
        return wireName;
    }

    public static RouteKind of(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name) || k.name().equalsIgnoreCase(name))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("route kind '" + name
                        + "' is not allowed; one of " + Arrays.stream(values()).map(RouteKind::wireName).toList()));
    }
}
