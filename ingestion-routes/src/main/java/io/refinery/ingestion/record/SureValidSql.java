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
 * <p>Compiles only what it can say exactly (text, enums, decimals, date-times, with their defaults,
 * normalisations, synonyms, lengths, ranges and allowed values); for anything else there is no lane.
 */
final class SureValidSql {

    private static final String PRINTABLE = "'^[!-~]([ -~]*[!-~])?$'";
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
            String text = f.defaultValue() == null ? raw : "if(" + raw + " = '', " + literal(f.defaultValue()) + ", " + raw + ")";
            if (f.defaultValue() == null) {
                if (!f.required() && f.type() != FieldType.DECIMAL) {
                    conditions.add(raw + " != ''"); // an absent optional value is left to the JVM
                }
            }
            conditions.add("length(" + text + ") <= " + f.maxLength());
            switch (f.type()) {
                case STRING, ENUM -> {
                    String value = normalized(f, text);
                    values.add(value + " AS " + ident("v_" + f.name()));
                    conditions.add("match(" + text + ", " + PRINTABLE + ")");
                    conditions.add("length(" + value + ") <= " + f.maxLength());
                    conditions.add("match(" + value + ", " + PRINTABLE + ")");
                    if (!f.allowed().isEmpty()) {
                        conditions.add(value + " IN (" + f.allowed().stream().sorted().map(SureValidSql::literal)
                                .collect(Collectors.joining(", ")) + ")");
                    }
                }
                case DECIMAL -> {
                    if (!f.synonyms().isEmpty() || tooFine(f.min()) || tooFine(f.max())) {
                        return Optional.empty();
                    }
                    String value = "toDecimal64OrNull(" + text + ", 4)";
                    boolean nullable = !f.required() && f.defaultValue() == null;
                    values.add((nullable ? value : "assumeNotNull(" + value + ")") + " AS " + ident("v_" + f.name()));
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
                    String value = "parseDateTime64BestEffortOrNull(" + text + ", 3, 'UTC')";
                    values.add("assumeNotNull(" + value + ") AS " + ident("v_" + f.name()));
                    conditions.add("match(" + text + ", " + ISO_UTC + ")");
                    conditions.add(value + " IS NOT NULL");
                    // round trip: a date that does not exist (02-30, 25:00) must not be moved to one that does
                    conditions.add("formatDateTime(" + value + ", '%Y-%m-%dT%H:%i:%S', 'UTC') = if(length(" + text
                            + ") = 17, concat(substring(" + text + ", 1, 16), ':00'), substring(" + text + ", 1, 19))");
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
