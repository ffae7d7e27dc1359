package io.refinery.api;

import io.refinery.api.problem.Problems;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parsing of query parameters with problems that name the parameter. */
public final class Inputs {

    /** Codes (SKU, location, category, supplier): printable, no control characters, bounded. */
    private static final Pattern CODE = Pattern.compile("^[\\p{L}\\p{N} ._:/#&()+*-]{1,128}$");

    private Inputs() {
    }

    /** A code or null; blank means "not given". */
    public static String code(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!CODE.matcher(value).matches()) {
            throw Problems.invalidField(field, "must be 1-128 letters, digits, spaces or ._:/#&()+*-");
        }
        return value;
    }

    public static LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.invalidField(field, "'" + value + "' is not a date (yyyy-MM-dd)");
        }
    }

    public static <E extends Enum<E>> E option(String field, String value, Class<E> type, E fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField(field, "'" + value + "' is not one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    public static int bounded(String field, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw Problems.invalidField(field, "must be between " + min + " and " + max);
        }
        return value;
    }
}
