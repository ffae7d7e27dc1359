package io.refinery.ingestion.record;

import io.refinery.ingestion.contract.DataContract;
import io.refinery.ingestion.contract.FieldSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed values of the rows {@link SureValidRow} vouched for, as SQL for the engine lane's {@code INSERT …
 * SELECT … FROM input()}: each field's value exactly as the contract's JVM engine types it (case, defaults,
 * synonyms, decimals of four places, date-times in UTC). Which rows are sure-valid is decided in the JVM as
 * the reader splits them. A decimal or date-time without a default is read by the engine's CSV parser as its
 * type (a date-time as the best-effort parse reads it): the form the reader vouched for parses, and a value it
 * did not would fail the whole insert, so that the contract decides the block. Values that need a default are
 * read as text and parsed by a function, guarded that each parse did parse (a row the two would disagree on is
 * not written; the block's written count falls short and the contract decides it).
 *
 * <p>Compiles the same fields as {@link SureValidRow}; for anything else there is no lane.
 */
final class SureValidSql {

    /**
     * Per field: the type the engine reads its column as ({@code String} unless it parses it itself), the typed
     * value (named after the field), and the guard that each parse the values assume did parse.
     */
    record Compiled(Map<String, String> inputTypes, List<String> values, List<String> guards) {
        String guard() {
            return guards.isEmpty() ? "1" : String.join(" AND ", guards);
        }
    }

    private SureValidSql() {
    }

    static Optional<Compiled> compile(DataContract contract) {
        Map<String, String> inputTypes = new LinkedHashMap<>();
        List<String> values = new ArrayList<>();
        List<String> guards = new ArrayList<>();
        for (FieldSpec f : contract.fields()) {
            inputTypes.put(f.name(), "String");
            if (f.normalize().contains("collapse-spaces")) {
                return Optional.empty();
            }
            String raw = ident(f.name());
            String value = ident("v_" + f.name());
            String text = f.defaultValue() == null ? raw : "if(" + raw + " = '', " + literal(f.defaultValue()) + ", " + raw + ")";
            switch (f.type()) {
                case STRING, ENUM -> values.add(normalized(f, text) + " AS " + value);
                case DECIMAL -> {
                    if (!f.synonyms().isEmpty() || tooFine(f.min()) || tooFine(f.max())) {
                        return Optional.empty();
                    }
                    boolean nullable = !f.required() && f.defaultValue() == null;
                    if (f.defaultValue() == null) {
                        // an empty value is null (optional) or not vouched for (required)
                        inputTypes.put(f.name(), nullable ? "Nullable(Decimal(18, 4))" : "Decimal(18, 4)");
                        values.add(raw + " AS " + value);
                    } else {
                        String parsed = "toDecimal64OrNull(" + text + ", 4)";
                        values.add("assumeNotNull(" + parsed + ") AS " + value);
                        guards.add(parsed + " IS NOT NULL");
                    }
                }
                case DATETIME -> {
                    if (!f.synonyms().isEmpty()) {
                        return Optional.empty();
                    }
                    if (f.defaultValue() == null) { // an empty value is not vouched for
                        inputTypes.put(f.name(), "DateTime64(3, 'UTC')");
                        values.add(raw + " AS " + value);
                    } else {
                        String parsed = "parseDateTime64BestEffortOrNull(" + text + ", 3, 'UTC')";
                        values.add("assumeNotNull(" + parsed + ") AS " + value);
                        guards.add(parsed + " IS NOT NULL");
                    }
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new Compiled(inputTypes, values, guards));
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
