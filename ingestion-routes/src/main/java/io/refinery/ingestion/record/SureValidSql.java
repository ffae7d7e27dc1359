package io.refinery.ingestion.record;

import io.refinery.ingestion.contract.DataContract;
import io.refinery.ingestion.contract.FieldSpec;
import io.refinery.ingestion.contract.FieldType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A data contract compiled to SQL for the engine lane: typed values and a predicate that holds only for
 * rows the contract's JVM engine ({@link io.refinery.ingestion.contract.ContractEngine}) certainly accepts
 * with exactly these values. It is deliberately narrower than the contract — strict forms only: printable
 * ASCII text without surrounding spaces, plain decimals of at most four places, ISO date-times in UTC — so
 * that every row it does not hold for is decided by the JVM, with the contract's own rules and messages.
 *
 * <p>It is compiled for rows whose every byte is printable ASCII, which the lane checks in the JVM before a
 * block reaches the engine (it reads every byte anyway). Under that precondition "printable without
 * surrounding spaces" is only a look at a value's ends, lengths in bytes are lengths in characters, and
 * upper/lower case keep both — a predicate about half as costly for the engine as one that checks every
 * value with a regular expression.
 *
 * <p>Compiles only what it can say exactly (text, enums, decimals, date-times, with their defaults,
 * normalisations, synonyms, lengths, ranges and allowed values); for anything else there is no lane.
 */
final class SureValidSql {

    private static final String PLAIN_DECIMAL = "'^-?[0-9]{1,14}(\\\\.[0-9]{1,4})?$'";
    private static final String ISO_UTC = "'^[12][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\\\.[0-9]{3})?)?Z$'";

    /** Per field: the typed value (named after the field) and the conditions it must meet. */
    record Compiled(List<String> values, List<String> conditions) {
        String predicate() {
            return String.join(" AND ", conditions);
        }
    }

    private SureValidSql() {
    }

    static Optional<Compiled> compile(DataContract contract) {
        List<String> values = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        for (FieldSpec f : contract.fields()) {
            if (f.normalize().contains("collapse-spaces")) {
                return Optional.empty();
            }
            String raw = ident(f.name());
            String value = ident("v_" + f.name());
            String text = f.defaultValue() == null ? raw : "if(" + raw + " = '', " + literal(f.defaultValue()) + ", " + raw + ")";
            if (f.defaultValue() == null) {
                if (!f.required() && f.type() != FieldType.DECIMAL) {
                    conditions.add(raw + " != ''"); // an absent optional value is left to the JVM
                }
            }
            conditions.add("length(" + text + ") <= " + f.maxLength());
            switch (f.type()) {
                case STRING, ENUM -> {
                    values.add(normalized(f, text) + " AS " + value);
                    conditions.add(printable(text));
                    if (!f.synonyms().isEmpty()) { // a synonym replaces the value: check what it became
                        conditions.add("length(" + value + ") <= " + f.maxLength());
                        conditions.add(printable(value));
                    }
                    if (!f.allowed().isEmpty()) {
                        conditions.add(value + " IN (" + f.allowed().stream().sorted().map(SureValidSql::literal)
                                .collect(Collectors.joining(", ")) + ")");
                    }
                }
                case DECIMAL -> {
                    if (!f.synonyms().isEmpty() || tooFine(f.min()) || tooFine(f.max())) {
                        return Optional.empty();
                    }
                    String parsed = "toDecimal64OrNull(" + text + ", 4)";
                    boolean nullable = !f.required() && f.defaultValue() == null;
                    values.add((nullable ? parsed : "assumeNotNull(" + parsed + ")") + " AS " + value);
                    List<String> checks = new ArrayList<>(List.of("match(" + text + ", " + PLAIN_DECIMAL + ")"));
                    if (f.min() != null) {
                        checks.add(value + " >= toDecimal64('" + f.min().toPlainString() + "', 4)");
                    }
                    if (f.max() != null) {
                        checks.add(value + " <= toDecimal64('" + f.max().toPlainString() + "', 4)");
                    }
                    String all = String.join(" AND ", checks);
                    conditions.add(nullable ? "(" + text + " = '' OR (" + all + "))" : all);
                }
                case DATETIME -> {
                    if (!f.synonyms().isEmpty()) {
                        return Optional.empty();
                    }
                    String parsed = "parseDateTime64BestEffortOrNull(" + text + ", 3, 'UTC')";
                    values.add("assumeNotNull(" + parsed + ") AS " + value);
                    conditions.add("match(" + text + ", " + ISO_UTC + ")");
                    conditions.add(parsed + " IS NOT NULL");
                    // round trip: a date or time that does not exist (02-30, 25:00) must not be moved to one
                    // that does, so each part parsed must be the part written (seconds are :00 when absent)
                    conditions.add(part("toYear", value, text, 1, 4));
                    conditions.add(part("toMonth", value, text, 6, 2));
                    conditions.add(part("toDayOfMonth", value, text, 9, 2));
                    conditions.add(part("toHour", value, text, 12, 2));
                    conditions.add(part("toMinute", value, text, 15, 2));
                    conditions.add("(length(" + text + ") = 17 OR " + part("toSecond", value, text, 18, 2) + ")");
                    if (f.notBefore() != null) {
                        conditions.add("toDate(" + value + ", 'UTC') >= toDate(" + literal(f.notBefore()) + ")");
                    }
                    if (f.maxFutureDays() != null) {
                        conditions.add("toDate(" + value + ", 'UTC') <= toDate(now(), 'UTC') + " + f.maxFutureDays());
                    }
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new Compiled(values, conditions));
    }

    /** Printable without surrounding spaces, for a value already known to be printable ASCII. */
    private static String printable(String value) {
        return "(" + value + " != '' AND NOT startsWith(" + value + ", ' ') AND NOT endsWith(" + value + ", ' '))";
    }

    /** A part of a parsed date-time (UTC) equals the digits written at [from, from + length) of its text. */
    private static String part(String function, String value, String text, int from, int length) {
        return function + "(" + value + ", 'UTC') = toUInt16OrZero(substring(" + text + ", " + from + ", " + length + "))";
    }

    /** Upper/lower case (ASCII, as Java's root locale does for ASCII), then synonyms exactly as the engine looks them up. */
    private static String normalized(FieldSpec f, String text) {
        String value = text;
        for (String n : f.normalize()) {
            value = switch (n) {
                case "upper" -> "upper(" + value + ")";
                case "lower" -> "lower(" + value + ")";
                default -> value;
            };
        }
        if (f.synonyms().isEmpty()) {
            return value;
        }
        List<String> keys = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (Map.Entry<String, String> e : f.synonyms().entrySet()) {
            keys.add(literal(e.getKey()));
            targets.add(literal(e.getValue()));
        }
        String k = "[" + String.join(", ", keys) + "]";
        String t = "[" + String.join(", ", targets) + "]";
        return "transform(" + value + ", " + k + ", " + t + ", transform(lower(" + value + "), " + k + ", " + t + ", "
                + value + "))";
    }

    private static boolean tooFine(BigDecimal bound) {
        return bound != null && bound.stripTrailingZeros().scale() > 4;
    }

    static String ident(String name) {
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
