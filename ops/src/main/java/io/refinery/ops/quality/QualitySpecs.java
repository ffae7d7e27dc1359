package io.refinery.ops.quality;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads check specs from YAML, strictly: an unknown key, a missing field or a file whose name does
 * not match its table and version is an error at start, not a check that silently never runs.
 * When a table has several versions, the highest is in force.
 */
final class QualitySpecs {

    private static final Pattern FILE_NAME = Pattern.compile("^([a-z_][a-z0-9_]*)\\.v(\\d+)\\.ya?ml$");
    private static final Pattern NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,63}$");
    private static final Set<String> TABLE_KEYS = Set.of("table", "version", "description", "deduplicated",
            "event_time", "gates", "checks");
    private static final Set<String> CHECK_KEYS = Set.of("name", "kind", "severity", "description", "column", "columns",
            "values", "min", "max", "min_rows", "max_drop", "max_age", "current_days", "reference_days", "buckets",
            "max_psi");

    private QualitySpecs() {
    }

    static List<TableSpec> load(String pattern) {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources(pattern);
            Map<String, TableSpec> newest = new TreeMap<>();
            for (Resource resource : resources) {
                String file = resource.getFilename();
                String text = resource.getContentAsString(StandardCharsets.UTF_8);
                TableSpec spec = parse(text, file);
                newest.merge(spec.table(), spec, (a, b) -> a.version() >= b.version() ? a : b);
            }
            return List.copyOf(newest.values());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read quality specs at " + pattern, e);
        }
    }

    static TableSpec parse(String yaml, String file) {
        try {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
            if (!(root instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("a quality spec is a YAML mapping");
            }
            unknownKeys(map, TABLE_KEYS, "spec");
            String table = name(map.get("table"), "table");
            int version = integer(map.get("version"), "version", 1);
            if (file != null) {
                Matcher m = FILE_NAME.matcher(file);
                if (!m.matches() || !m.group(1).equals(table) || Integer.parseInt(m.group(2)) != version) {
                    throw new IllegalArgumentException("the file must be named " + table + ".v" + version + ".yaml");
                }
            }
            String eventTime = map.get("event_time") == null ? null : name(map.get("event_time"), "event_time");
            Set<String> gates = new LinkedHashSet<>(strings(map.get("gates"), "gates", false));
            List<CheckSpec> checks = new ArrayList<>();
            Set<String> names = new HashSet<>();
            Object list = map.get("checks");
            if (!(list instanceof List<?> items) || items.isEmpty()) {
                throw new IllegalArgumentException("'checks' must list at least one check");
            }
            for (Object item : items) {
                if (!(item instanceof Map<?, ?> check)) {
                    throw new IllegalArgumentException("each check is a mapping");
                }
                CheckSpec spec = check(check, eventTime);
                if (!names.add(spec.name())) {
                    throw new IllegalArgumentException("check name '" + spec.name() + "' is used twice");
                }
                checks.add(spec);
            }
            return new TableSpec(table, version, text(map.get("description")),
                    !Boolean.FALSE.equals(map.get("deduplicated")), eventTime, gates, checks, file);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("quality spec " + (file == null ? "" : file + " ") + "is invalid: "
                    + e.getMessage(), e);
        }
    }

    private static CheckSpec check(Map<?, ?> map, String eventTime) {
        unknownKeys(map, CHECK_KEYS, "check");
        String name = name(map.get("name"), "name");
        try {
            CheckKind kind = CheckKind.of(String.valueOf(required(map.get("kind"), "kind")));
            Severity severity = switch (String.valueOf(required(map.get("severity"), "severity"))) {
                case "blocking" -> Severity.BLOCKING;
                case "warning" -> Severity.WARNING;
                default -> throw new IllegalArgumentException("severity must be blocking or warning");
            };
            List<String> columns = new ArrayList<>();
            if (map.get("column") != null) {
                columns.add(name(map.get("column"), "column"));
            }
            for (String c : strings(map.get("columns"), "columns", false)) {
                columns.add(name(c, "columns"));
            }
            List<String> accepted = strings(map.get("values"), "values", false);
            Double min = number(map.get("min"));
            Double max = number(map.get("max"));
            Long minRows = map.get("min_rows") == null ? null : (long) integer(map.get("min_rows"), "min_rows", 0);
            Double maxDrop = number(map.get("max_drop"));
            Duration maxAge = map.get("max_age") == null ? null : duration(map.get("max_age"));
            int currentDays = integer(map.get("current_days"), "current_days", 7);
            int referenceDays = integer(map.get("reference_days"), "reference_days", 28);
            int buckets = integer(map.get("buckets"), "buckets", 10);
            Double maxPsi = number(map.get("max_psi"));
            switch (kind) {
                case NOT_NULL, UNIQUE -> need(!columns.isEmpty(), "needs 'columns'");
                case ACCEPTED_VALUES -> need(columns.size() == 1 && !accepted.isEmpty(), "needs one 'column' and 'values'");
                case RANGE -> need(columns.size() == 1 && (min != null || max != null), "needs one 'column' and 'min' and/or 'max'");
                case ROW_COUNT -> need(minRows != null, "needs 'min_rows'");
                case ROW_COUNT_CHANGE -> {
                    need(maxDrop != null && maxDrop > 0 && maxDrop < 1, "needs 'max_drop' between 0 and 1");
                    need(eventTime != null, "needs the table's 'event_time'");
                }
                case FRESHNESS -> {
                    need(maxAge != null, "needs 'max_age' (e.g. PT6H)");
                    need(eventTime != null || columns.size() == 1, "needs the table's 'event_time' or a 'column'");
                }
                case DRIFT -> {
                    need(columns.size() == 1 && maxPsi != null, "needs one 'column' and 'max_psi'");
                    need(eventTime != null, "needs the table's 'event_time'");
                    need(currentDays > 0 && referenceDays > 0 && buckets >= 2 && buckets <= 100,
                            "needs positive windows and 2-100 buckets");
                }
            }
            return new CheckSpec(name, kind, severity, text(map.get("description")), columns, accepted, min, max,
                    minRows, maxDrop, maxAge, currentDays, referenceDays, buckets, maxPsi);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("check '" + name + "': " + e.getMessage(), e);
        }
    }

    private static void need(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void unknownKeys(Map<?, ?> map, Set<String> known, String what) {
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw new IllegalArgumentException("unknown " + what + " key '" + key + "' (known: " + known + ")");
            }
        }
    }

    private static Object required(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return value;
    }

    private static String name(Object value, String field) {
        String text = String.valueOf(required(value, field));
        if (!NAME.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + field + "' must be a lower-case identifier, was '" + text + "'");
        }
        return text;
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value).strip();
    }

    private static int integer(Object value, String field, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            throw new IllegalArgumentException("'" + field + "' must be a whole number");
        }
        return ((Number) value).intValue();
    }

    private static Double number(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException("'" + value + "' is not a number");
        }
        return n.doubleValue();
    }

    private static Duration duration(Object value) {
        try {
            return Duration.parse(String.valueOf(value));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not an ISO-8601 duration (e.g. PT6H, P2D)");
        }
    }

    private static List<String> strings(Object value, String field, boolean required) {
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException("'" + field + "' is required");
            }
            return List.of();
        }
        if (!(value instanceof Collection<?> items)) {
            throw new IllegalArgumentException("'" + field + "' must be a list");
        }
        return items.stream().map(String::valueOf).toList();
    }
}
