package io.refinery.ingestion.record;

import io.refinery.ingestion.contract.DataContract;
import io.refinery.ingestion.contract.FieldSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed values of the rows {@link SureValidRow} vouched for, as SQL for the engine lane's {@code INSERT …
 * SELECT … FROM input()}: each field's value exactly as the contract's JVM engine types it (case, defaults,
 * synonyms, decimals of four places, date-times in UTC). Which rows are sure-valid is decided in the JVM as
 * the reader splits them; the engine only guards that every value it must produce did parse, so that a row the
 * two would disagree on is not written (the block's written count falls short and the contract decides it).
 *
 * <p>Compiles the same fields as {@link SureValidRow}; for anything else there is no lane.
 */
final class SureValidSql {

    /** Per field: the typed value (named after the field), and the guard that each parse it assumes did parse. */
    record Compiled(List<String> values, List<String> guards) {
        String guard() {
            return guards.isEmpty() ? "1" : String.join(" AND ", guards);
        }
    }

    private SureValidSql() {
    }

    static Optional<Compiled> compile(DataContract contract) {
        List<String> values = new ArrayList<>();
        List<String> guards = new ArrayList<>();
        for (FieldSpec f : contract.fields()) {
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
                    String parsed = "toDecimal64OrNull(" + text + ", 4)";
                    if (!f.required() && f.defaultValue() == null) {
                        values.add(parsed + " AS " + value); // absent: null
                    } else {
                        values.add("assumeNotNull(" + parsed + ") AS " + value);
                        guards.add(parsed + " IS NOT NULL");
                    }
                }
                case DATETIME -> {
                    if (!f.synonyms().isEmpty()) {
                        return Optional.empty();
                    }
                    String parsed = "parseDateTime64BestEffortOrNull(" + text + ", 3, 'UTC')";
                    values.add("assumeNotNull(" + parsed + ") AS " + value);
                    guards.add(parsed + " IS NOT NULL");
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new Compiled(values, guards));
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
