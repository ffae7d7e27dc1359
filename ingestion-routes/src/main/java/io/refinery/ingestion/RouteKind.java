package io.refinery.ingestion;

import java.util.Arrays;

/** The route kinds an administrator may define; nothing else can be run as a route. */
public enum RouteKind {
    FILE_DROP("file-drop"), MQTT("mqtt"), JDBC("jdbc"), REST("rest");

    private final String wireName;

    RouteKind(String wireName) {
        this.wireName = wireName;
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
