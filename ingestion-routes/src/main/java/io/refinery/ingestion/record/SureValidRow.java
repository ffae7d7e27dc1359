package io.refinery.ingestion.record;

import io.refinery.ingestion.contract.ContractEngine;
import io.refinery.ingestion.contract.DataContract;
import io.refinery.ingestion.contract.FieldSpec;
import io.refinery.ingestion.contract.FieldType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The contract's sure-valid form, checked in the JVM on a row's values as the lane's reader splits it: it
 * holds only for rows that the contract's JVM engine ({@link io.refinery.ingestion.contract.ContractEngine})
 * certainly accepts, with the values the engine then types them to ({@link SureValidSql}). It is deliberately
 * narrower than the contract — printable ASCII text without surrounding spaces, plain decimals of at most
 * fourteen digits and four places, ISO date-times in UTC that exist — so that every row it does not hold for
 * is decided by the contract, with its own rules and messages.
 *
 * <p>The reader reads every byte anyway and has just found where each value starts and ends; there the
 * checks cost a few comparisons per value, while the same predicate in the engine's INSERT (regular
 * expressions, a date-time parsed and taken apart again) cost about as much as typing the rows (0.7 of
 * 1.4 CPU s per million rows).
 *
 * <p>Compiles only what it can say exactly (text, enums, decimals, date-times, with their defaults,
 * normalisations, synonyms, lengths, ranges and allowed values); for anything else there is no lane.
 */
final class SureValidRow {

    /** Ten to the fourth: decimals are compared as integers of ten-thousandths. */
    private static final long SCALE = 10_000L;
    /** Fourteen integer digits and four places: every plain decimal's magnitude is below this. */
    private static final BigDecimal PLAIN_LIMIT = BigDecimal.TEN.pow(14);

    private static final int TEXT = 0;
    private static final int ENUM_LIKE = 1;
    private static final int DECIMAL = 2;
    private static final int DATE_TIME = 3;

    /**
     * What one column's values must be. Kept as plain fields tested in one switch (not a lambda per field): the
     * reader calls it for every value of every row, and a chain of lambdas cost it twice the time.
     */
    private static final class Field {
        final FieldSpec spec;
        final int kind;
        final int maxLength;
        /** An empty value: -1 refused, 1 accepted (absent optional decimal, or a default that passes). */
        final int empty;
        final long min;
        final long max;
        final int notBefore;
        final int notAfter;
        final Verdicts verdicts;

        Field(FieldSpec spec, int kind, int maxLength, int empty, long min, long max, int notBefore, int notAfter) {
            this.spec = spec;
            this.kind = kind;
            this.maxLength = maxLength;
            this.empty = empty;
            this.min = min;
            this.max = max;
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            this.verdicts = kind == ENUM_LIKE ? new Verdicts() : null;
        }
    }

    private final Field[] fields;

    private SureValidRow(Field[] fields) {
        this.fields = fields;
    }

    /**
     * The check for rows with these columns (each a field of the contract), or empty when the contract has a
     * field this form cannot vouch for. {@code today} bounds date-times with a maximum number of days ahead.
     */
    static Optional<SureValidRow> compile(DataContract contract, List<String> columns, LocalDate today) {
        Field[] fields = new Field[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Optional<FieldSpec> spec = contract.field(columns.get(i));
            if (spec.isEmpty()) {
                return Optional.empty();
            }
            Field field = field(spec.get(), today);
            if (field == null) {
                return Optional.empty();
            }
            fields[i] = field;
        }
        return Optional.of(new SureValidRow(fields));
    }

    static Optional<SureValidRow> compile(DataContract contract, List<String> columns) {
        return compile(contract, columns, LocalDate.now(ZoneOffset.UTC));
    }

    /**
     * Whether the row whose value {@code i} is {@code b}[{@code starts[i]}, {@code ends[i]}) is sure-valid. The
     * bytes are printable ASCII (the reader checked them), so lengths in bytes are lengths in characters.
     */
    boolean test(byte[] b, int[] starts, int[] ends) {
        for (int i = 0; i < fields.length; i++) {
            int from = starts[i];
            int to = ends[i];
            Field f = fields[i];
            if (from == to) {
                if (f.empty < 0) {
                    return false;
                }
            } else if (to - from > f.maxLength || !value(f, b, from, to)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a non-empty value within the field's length is in its sure-valid form. */
    private static boolean value(Field f, byte[] b, int from, int to) {
        return switch (f.kind) {
            case TEXT -> printable(b, from, to); // upper/lower case keep an ASCII value's length and ends
            case ENUM_LIKE -> enumLike(f, b, from, to);
            case DECIMAL -> decimal(f, b, from, to);
            default -> dateTime(f, b, from, to);
        };
    }

    private static Field field(FieldSpec f, LocalDate today) {
        if (f.normalize().contains("collapse-spaces") || !f.synonyms().isEmpty() && f.type() != FieldType.STRING
                && f.type() != FieldType.ENUM) {
            return null;
        }
        int kind;
        long min = Long.MIN_VALUE;
        long max = Long.MAX_VALUE;
        int notBefore = Integer.MIN_VALUE;
        int notAfter = Integer.MAX_VALUE;
        switch (f.type()) {
            case STRING, ENUM -> kind = f.synonyms().isEmpty() && f.allowed().isEmpty() ? TEXT : ENUM_LIKE;
            case DECIMAL -> {
                if (tooFine(f.min()) || tooFine(f.max())) {
                    return null;
                }
                kind = DECIMAL;
                // Bounds beyond what a plain decimal can reach never fail (or always do); others compare as integers.
                min = f.min() == null || f.min().compareTo(PLAIN_LIMIT.negate()) <= 0 ? Long.MIN_VALUE
                        : f.min().compareTo(PLAIN_LIMIT) >= 0 ? Long.MAX_VALUE : scaled(f.min());
                max = f.max() == null || f.max().compareTo(PLAIN_LIMIT) >= 0 ? Long.MAX_VALUE
                        : f.max().compareTo(PLAIN_LIMIT.negate()) <= 0 ? Long.MIN_VALUE : scaled(f.max());
            }
            case DATETIME -> {
                kind = DATE_TIME;
                try {
                    notBefore = f.notBefore() == null ? Integer.MIN_VALUE : yyyymmdd(LocalDate.parse(f.notBefore()));
                } catch (DateTimeParseException e) {
                    return null; // not a plain date: the contract decides
                }
                notAfter = f.maxFutureDays() == null ? Integer.MAX_VALUE : yyyymmdd(today.plusDays(f.maxFutureDays()));
            }
            default -> {
                return null;
            }
        }
        int empty;
        if (f.defaultValue() != null) {
            byte[] d = f.defaultValue().getBytes(StandardCharsets.UTF_8);
            if (!ascii(d)) {
                return null;
            }
            Field probe = new Field(f, kind, f.maxLength(), -1, min, max, notBefore, notAfter);
            empty = d.length > 0 && d.length <= f.maxLength() && value(probe, d, 0, d.length) ? 1 : -1;
        } else {
            // an absent optional value without a default is left to the contract; a decimal's is a null
            empty = !f.required() && f.type() == FieldType.DECIMAL ? 1 : -1;
        }
        return new Field(f, kind, f.maxLength(), empty, min, max, notBefore, notAfter);
    }

    /**
     * Text without surrounding spaces whose normalised value (case, then a synonym) is within the length and,
     * when there are allowed values, one of them. An enum has few spellings: each is decided once.
     */
    private static boolean enumLike(Field f, byte[] b, int from, int to) {
        if (!printable(b, from, to)) {
            return false;
        }
        int known = f.verdicts.get(b, from, to);
        if (known >= 0) {
            return known == 1;
        }
        boolean verdict = normalisedIsValid(f.spec, new String(b, from, to - from, StandardCharsets.US_ASCII));
        f.verdicts.put(b, from, to, verdict);
        return verdict;
    }

    /** What the contract normalises the text to (case, then a synonym) is within the length and allowed. */
    private static boolean normalisedIsValid(FieldSpec f, String text) {
        String value = ContractEngine.normalized(f, text);
        if (!value.equals(text)) { // a synonym or a case may change what is checked
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            if (v.length > f.maxLength() || !ascii(v) || !printable(v, 0, v.length)) {
                return false;
            }
        }
        Set<String> allowed = f.allowed();
        return allowed.isEmpty() || allowed.contains(value);
    }

    /** {@code -?[0-9]{1,14}(\.[0-9]{1,4})?} within the field's range. */
    private static boolean decimal(Field f, byte[] b, int from, int to) {
        int i = from;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        int digitsFrom = i;
        long units = 0;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            units = units * 10 + (b[i++] - '0');
        }
        int integerDigits = i - digitsFrom;
        if (integerDigits < 1 || integerDigits > 14) {
            return false;
        }
        long fraction = 0;
        int places = 0;
        if (i < to) {
            if (b[i++] != '.') {
                return false;
            }
            while (i < to && b[i] >= '0' && b[i] <= '9' && places < 5) {
                fraction = fraction * 10 + (b[i++] - '0');
                places++;
            }
            if (i != to || places < 1 || places > 4) {
                return false;
            }
        }
        for (int p = places; p < 4; p++) {
            fraction *= 10;
        }
        long value = units * SCALE + fraction;
        if (negative) {
            value = -value;
        }
        return value >= f.min && value <= f.max;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm(:ss(.SSS)?)?Z} naming a moment that exists (no 02-30, no 24:00, no :60), within
     * 1901-2298 (the engine's date-time range, with a year to spare), not before the field's earliest day and
     * at most its days ahead of the day the form was compiled.
     */
    private static boolean dateTime(Field f, byte[] b, int from, int to) {
        int length = to - from;
        if ((length != 17 && length != 20 && length != 24) || b[from + 4] != '-' || b[from + 7] != '-'
                || b[from + 10] != 'T' || b[from + 13] != ':' || b[to - 1] != 'Z') {
            return false;
        }
        int year = digits(b, from, 4);
        int month = digits(b, from + 5, 2);
        int day = digits(b, from + 8, 2);
        int hour = digits(b, from + 11, 2);
        int minute = digits(b, from + 14, 2);
        if (year < 1901 || year > 2298 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            return false;
        }
        if (length >= 20) {
            int second = b[from + 16] == ':' ? digits(b, from + 17, 2) : -1;
            if (second < 0 || second > 59) {
                return false;
            }
            if (length == 24 && (b[from + 19] != '.' || digits(b, from + 20, 3) < 0)) {
                return false;
            }
        }
        int date = year * 10000 + month * 100 + day;
        return date >= f.notBefore && date <= f.notAfter;
    }

    /**
     * Verdicts on the spellings of one field, looked up by their bytes (no String per row). At most {@value #MAX}
     * are kept, after which new spellings are decided each time. For one reader at a time.
     */
    private static final class Verdicts {
        private static final int MAX = 4096;
        private byte[][] keys = new byte[64][];
        private boolean[] values = new boolean[64];
        private int size;

        /** 1 or 0 for a known spelling's verdict, -1 for an unknown one. */
        int get(byte[] b, int from, int to) {
            int mask = keys.length - 1;
            for (int i = hash(b, from, to) & mask; keys[i] != null; i = (i + 1) & mask) {
                if (Arrays.equals(keys[i], 0, keys[i].length, b, from, to)) {
                    return values[i] ? 1 : 0;
                }
            }
            return -1;
        }

        void put(byte[] b, int from, int to, boolean verdict) {
            if (size >= MAX) {
                return;
            }
            if ((size + 1) * 2 > keys.length) {
                byte[][] oldKeys = keys;
                boolean[] oldValues = values;
                keys = new byte[oldKeys.length * 2][];
                values = new boolean[oldKeys.length * 2];
                size = 0;
                for (int j = 0; j < oldKeys.length; j++) {
                    if (oldKeys[j] != null) {
                        insert(oldKeys[j], oldValues[j]);
                    }
                }
            }
            insert(Arrays.copyOfRange(b, from, to), verdict);
        }

        private void insert(byte[] key, boolean verdict) {
            int mask = keys.length - 1;
            int i = hash(key, 0, key.length) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = verdict;
            size++;
        }

        private static int hash(byte[] b, int from, int to) {
            int h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + b[i];
            }
            return h ^ (h >>> 16);
        }
    }

    /** Not empty and no space at either end (the contract would trim it). */
    private static boolean printable(byte[] b, int from, int to) {
        return from < to && b[from] != ' ' && b[to - 1] != ' ';
    }

    private static boolean ascii(byte[] b) {
        for (byte c : b) {
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static boolean tooFine(BigDecimal bound) {
        return bound != null && bound.stripTrailingZeros().scale() > 4;
    }

    private static long scaled(BigDecimal value) {
        return value.movePointRight(4).longValueExact();
    }

    private static int yyyymmdd(LocalDate d) {
        return d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth();
    }

    /** The number written in {@code length} ASCII digits at {@code from}; -1 when one is not a digit. */
    static int digits(byte[] b, int from, int length) {
        int v = 0;
        for (int i = from; i < from + length; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            v = v * 10 + b[i] - '0';
        }
        return v;
    }

    static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
