package io.refinery.ingestion;

import io.refinery.ingestion.contract.ParseOptions;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks and reads the options of a route definition. Each check adds a problem instead of
 * throwing, so a dry run can report them all at once.
 */
public final class RouteOptions {

    public static final Pattern ROUTE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    public static final Pattern SECRET_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,127}");
    /** Characters that could smuggle options or expressions into a Camel endpoint. */
    private static final Pattern UNSAFE = Pattern.compile("[?&#{}$\\\\\u0000-\u001f]");
    /** Options shared by every kind. */
    public static final List<String> COMMON = List.of("zone", "dateFormat", "dateTimeFormat", "columns", "batchSize");

    private final RouteDefinition definition;
    private final List<String> problems = new ArrayList<>();

    public RouteOptions(RouteDefinition definition, List<String> allowed) {
        this.definition = definition;
        if (!ROUTE_ID.matcher(definition.id()).matches()) {
            problems.add("route id must be lower-case letters, digits and dashes (at most 63)");
        }
        for (String name : definition.options().keySet()) {
            if (!allowed.contains(name) && !COMMON.contains(name)) {
                problems.add("option '" + name + "' is not allowed for " + definition.kind().wireName() + " routes");
            }
        }
        definition.options().forEach((k, v) -> {
            if (v != null && v.length() > 2048) {
                problems.add("option '" + k + "' is too long");
            }
        });
        parseOptions();
        columnMapping();
        integer("batchSize", IngestRequest.DEFAULT_BATCH_SIZE, 1, 1_000_000);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    public String text(String name, String fallback) {
        return definition.option(name, fallback);
    }

    /** A value that will be part of a Camel endpoint: no characters that could add options. */
    public String safeText(String name, String fallback) {
        String v = text(name, fallback);
        if (v != null && UNSAFE.matcher(v).find()) {
            problems.add("option '" + name + "' contains characters that are not allowed");
            return fallback;
        }
        return v;
    }

    public String required(String name) {
        String v = text(name, null);
        if (v == null) {
            problems.add("option '" + name + "' is required");
        }
        return v;
    }

    public int integer(String name, int fallback, int min, int max) {
        String v = text(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                problems.add("option '" + name + "' must be between " + min + " and " + max);
                return fallback;
            }
            return i;
        } catch (NumberFormatException e) {
            problems.add("option '" + name + "' must be an integer");
            return fallback;
        }
    }

    public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
        String v = text(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, v.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            problems.add("option '" + name + "' must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).toList());
            return fallback;
        }
    }

    /** A directory that must lie inside one of the allowed roots (after resolving .. and links). */
    public Path pathUnder(String name, List<Path> roots) {
        String v = required(name);
        if (v == null) {
            return null;
        }
        if (UNSAFE.matcher(v).find()) {
            problems.add("option '" + name + "' contains characters that are not allowed");
            return null;
        }
        Path path = Path.of(v).toAbsolutePath().normalize();
        Path real = realOrSelf(path);
        for (Path root : roots) {
            Path r = realOrSelf(root.toAbsolutePath().normalize());
            if (real.startsWith(r)) {
                return path;
            }
        }
        problems.add("option '" + name + "' is outside the allowed roots " + roots);
        return null;
    }

    /** A secret reference (the name of an environment variable or secrets-file entry), never a value. */
    public String secretRef(String name) {
        String v = text(name, null);
        if (v != null && !SECRET_NAME.matcher(v).matches()) {
            problems.add("option '" + name + "' must name a secret (UPPER_SNAKE_CASE), not contain one");
            return null;
        }
        return v;
    }

    public Charset charset(String name) {
        try {
            return Charset.forName(text(name, "UTF-8"));
        } catch (RuntimeException e) {
            problems.add("option '" + name + "' is not a known encoding");
            return java.nio.charset.StandardCharsets.UTF_8;
        }
    }

    public ParseOptions parseOptions() {
        ZoneId zone = ZoneId.of("UTC");
        try {
            zone = ZoneId.of(text("zone", "UTC"));
        } catch (DateTimeException e) {
            problems.add("option 'zone' is not a time zone");
        }
        String date = text("dateFormat", null);
        String dateTime = text("dateTimeFormat", null);
        for (String p : new String[]{date, dateTime}) {
            if (p != null) {
                try {
                    DateTimeFormatter.ofPattern(p);
                } catch (IllegalArgumentException e) {
                    problems.add("date pattern '" + p + "' is not valid");
                }
            }
        }
        return new ParseOptions(zone, date, dateTime);
    }

    /** {@code columns=Source Name:field,other:field2}: source column → canonical field. */
    public Map<String, String> columnMapping() {
        Map<String, String> mapping = new LinkedHashMap<>();
        String v = text("columns", null);
        if (v == null) {
            return mapping;
        }
        for (String pair : v.split(",")) {
            int colon = pair.lastIndexOf(':');
            if (colon <= 0) {
                problems.add("option 'columns' must be source:field pairs separated by commas");
                continue;
            }
            String field = pair.substring(colon + 1).strip();
            if (definition.entity() != null && !field.matches("[a-z_]+")) {
                problems.add("column mapping target '" + field + "' is not a field name");
            }
            mapping.put(pair.substring(0, colon).strip(), field);
        }
        return mapping;
    }

    public IngestRequest request(SourceKind source, String sourceRef, int defaultBatchSize) {
        return IngestRequest.of(definition.entity(), definition.id(), source, sourceRef)
                .withParseOptions(parseOptions()).withDriftPolicy(definition.driftPolicy())
                .withColumnMapping(columnMapping())
                .withBatchSize(integer("batchSize", defaultBatchSize, 1, 1_000_000));
    }

    private static Path realOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            Path parent = p.getParent();
            return parent == null ? p : realOrSelf(parent).resolve(p.getFileName());
        }
    }
}
