package io.refinery.ingestion.contract;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Applies a contract to one record: normalises (trim, case, synonyms), types (decimal, date,
 * date-time with zone → UTC, enums) and checks it (required, ranges, allowed values, lengths,
 * encoding). Pure and thread-safe; records arrive with canonical field names.
 */
public final class ContractEngine {

    /** Set by a reader on a record it could not parse (short row, truncated file); the value says why. */
    public static final String MALFORMED_MARKER = "_malformed";

    private static final int DECIMAL_SCALE = 4;
    private static final BigDecimal DECIMAL_LIMIT = new BigDecimal("100000000000000"); // Decimal(18, 4)
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern EPOCH_MILLIS = Pattern.compile("\\d{12,13}");
    private static final DateTimeFormatter SPACED_DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm[:ss][.SSS]")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final int MAX_REPORTED_VALUE = 200;

    private final Clock clock;
    private final Map<String, DateTimeFormatter> patterns = new ConcurrentHashMap<>();

    public ContractEngine() {
        this(Clock.systemUTC());
    }

    public ContractEngine(Clock clock) {
        this.clock = clock;
    }

    public Validation validate(DataContract contract, Map<String, String> record, ParseOptions options) {
        List<Violation> violations = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        String malformed = record.get(MALFORMED_MARKER);
        if (malformed != null) {
            violations.add(new Violation(Violation.MALFORMED, "", "", malformed));
        }
        for (FieldSpec field : contract.fields()) {
            String raw = record.get(field.name());
            try {
                Object value = typed(field, raw, options);
                if (value != null) {
                    values.put(field.name(), value);
                }
            } catch (Refused refused) {
                violations.add(new Violation(refused.rule, field.name(), shown(field, raw), refused.getMessage()));
            }
        }
        return new Validation(violations.isEmpty() ? values : Map.of(), List.copyOf(violations));
    }

    /** The value as it may be shown in a quarantine: cut to a readable length, masked when tagged pii. */
    public static String shown(FieldSpec field, String raw) {
        if (raw == null) {
            return "";
        }
        if (field != null && field.tagged("pii")) {
            return "***";
        }
        return raw.length() > MAX_REPORTED_VALUE ? raw.substring(0, MAX_REPORTED_VALUE) + "…" : raw;
    }

    private Object typed(FieldSpec field, String raw, ParseOptions options) {
        String text = raw == null ? "" : raw.strip();
        if (text.indexOf('\uFFFD') >= 0) {
            throw new Refused(Violation.ENCODING, "not valid text in the source encoding");
        }
        if (text.isEmpty()) {
            if (field.defaultValue() != null) {
                text = field.defaultValue();
            } else if (field.required()) {
                throw new Refused(Violation.REQUIRED, "is required");
            } else {
                return null;
            }
        }
        text = normalized(field, text);
        if (text.length() > field.maxLength()) {
            throw new Refused(Violation.MAX_LENGTH, "longer than " + field.maxLength() + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                throw new Refused(Violation.ENCODING, "contains control character U+"
                        + String.format("%04X", (int) c));
            }
        }
        return switch (field.type()) {
            case STRING -> allowedText(field, text);
            case ENUM -> allowedText(field, text);
            case DECIMAL -> inRange(field, decimal(text));
            case INTEGER -> inRange(field, integer(text));
            case DOUBLE -> {
                double d = number(text);
                inRange(field, BigDecimal.valueOf(d));
                yield d;
            }
            case BOOLEAN -> bool(text);
            case DATE -> {
                LocalDate date = date(text, options);
                dateInRange(field, date);
                yield date;
            }
            case DATETIME -> {
                Instant instant = dateTime(text, options);
                dateInRange(field, LocalDate.ofInstant(instant, java.time.ZoneOffset.UTC));
                yield instant;
            }
        };
    }

    /**
     * The canonical form of a field's (trimmed, non-empty) text: its case and spaces as the field normalises
     * them, then the synonym it is, looked up as it is and in lower case. The engine lane's sure-valid form
     * asks the same question.
     */
    public static String normalized(FieldSpec field, String text) {
        String result = text;
        for (String n : field.normalize()) {
            result = switch (n) {
                case "upper" -> result.toUpperCase(Locale.ROOT);
                case "lower" -> result.toLowerCase(Locale.ROOT);
                case "collapse-spaces" -> SPACES.matcher(result).replaceAll(" ");
                default -> result;
            };
        }
        String synonym = field.synonyms().get(result);
        if (synonym == null && !field.synonyms().isEmpty()) {
            synonym = field.synonyms().get(result.toLowerCase(Locale.ROOT));
        }
        return synonym != null ? synonym : result;
    }

    private static String allowedText(FieldSpec field, String text) {
        if (!field.allowed().isEmpty() && !field.allowed().contains(text)) {
            throw new Refused(Violation.ALLOWED, "not one of " + field.allowed().stream().sorted().toList());
        }
        return text;
    }

    private static BigDecimal decimal(String text) {
        try {
            BigDecimal value = new BigDecimal(text).setScale(DECIMAL_SCALE, RoundingMode.HALF_EVEN);
            if (value.abs().compareTo(DECIMAL_LIMIT) >= 0) {
                throw new Refused(Violation.RANGE, "too large for Decimal(18, 4)");
            }
            return value;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new Refused(Violation.TYPE, "not a decimal number");
        }
    }

    private static BigDecimal integer(String text) {
        try {
            return new BigDecimal(text).setScale(0, RoundingMode.UNNECESSARY);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new Refused(Violation.TYPE, "not an integer");
        }
    }

    private static double number(String text) {
        double d;
        try {
            d = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new Refused(Violation.TYPE, "not a number");
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new Refused(Violation.TYPE, "not a finite number");
        }
        return d;
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1" -> true;
            case "false", "no", "n", "0" -> false;
            default -> throw new Refused(Violation.TYPE, "not a boolean");
        };
    }

    private static <T extends BigDecimal> T inRange(FieldSpec field, T value) {
        if (field.min() != null && value.compareTo(field.min()) < 0) {
            throw new Refused(Violation.RANGE, "below the minimum " + field.min().toPlainString());
        }
        if (field.max() != null && value.compareTo(field.max()) > 0) {
            throw new Refused(Violation.RANGE, "above the maximum " + field.max().toPlainString());
        }
        return value;
    }

    private void dateInRange(FieldSpec field, LocalDate date) {
        if (field.notBefore() != null && date.isBefore(LocalDate.parse(field.notBefore()))) {
            throw new Refused(Violation.RANGE, "before " + field.notBefore());
        }
        if (field.maxFutureDays() != null
                && date.isAfter(LocalDate.now(clock).plusDays(field.maxFutureDays()))) {
            throw new Refused(Violation.RANGE, "more than " + field.maxFutureDays() + " days in the future");
        }
    }

    private LocalDate date(String text, ParseOptions options) {
        if (options.datePattern() != null) {
            try {
                return LocalDate.parse(text, pattern(options.datePattern()));
            } catch (DateTimeException ignored) {
                // fall through to ISO
            }
        }
        try {
            return LocalDate.parse(text.length() > 10 && text.charAt(10) == 'T' ? text.substring(0, 10) : text);
        } catch (DateTimeException e) {
            throw new Refused(Violation.TYPE, "not a date (yyyy-MM-dd" + (options.datePattern() == null ? ""
                    : " or " + options.datePattern()) + ")");
        }
    }

    private Instant dateTime(String text, ParseOptions options) {
        if (options.dateTimePattern() != null) {
            try {
                return LocalDateTime.parse(text, pattern(options.dateTimePattern())).atZone(options.zone()).toInstant();
            } catch (DateTimeException ignored) {
                // fall through to the ISO forms
            }
        }
        Instant fast = isoUtc(text);
        if (fast != null) {
            return fast;
        }
        try {
            if (EPOCH_MILLIS.matcher(text).matches()) {
                return Instant.ofEpochMilli(Long.parseLong(text));
            }
            if (text.length() == 10 || (options.datePattern() != null && text.length() <= 10)) {
                return date(text, options).atStartOfDay(options.zone()).toInstant();
            }
            if (text.endsWith("]")) {
                return ZonedDateTime.parse(text).toInstant();
            }
            if (text.endsWith("Z") || text.lastIndexOf('+') > 10 || text.lastIndexOf('-') > 10) {
                return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
            }
            if (text.length() > 10 && text.charAt(10) == ' ') {
                return LocalDateTime.parse(text, SPACED_DATE_TIME).atZone(options.zone()).toInstant();
            }
            return LocalDateTime.parse(text).atZone(options.zone()).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeException e) {
            throw new Refused(Violation.TYPE, "not a date-time (ISO 8601, zone optional)");
        }
    }

    /**
     * The common machine form {@code yyyy-MM-ddTHH:mm[:ss[.SSS]]Z} without a formatter (the
     * formatters cost more than the rest of the contract per record); null for anything else or
     * anything doubtful, which then takes the general path with its exact error messages.
     */
    static Instant isoUtc(String t) {
        int n = t.length();
        if (n < 17 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = 0;
        int millis = 0;
        if (n == 17) {
            // yyyy-MM-ddTHH:mmZ
        } else if (n >= 20 && t.charAt(16) == ':') {
            second = digits(t, 17, 2);
            if (n == 24 && t.charAt(19) == '.') {
                millis = digits(t, 20, 3);
            } else if (n != 20) {
                return null;
            }
        } else {
            return null;
        }
        if (year < 1 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || millis < 0
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochMilli(((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis);
    }

    /** The decimal value of {@code length} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String t, int from, int length) {
        int v = 0;
        for (int i = from; i < from + length; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private DateTimeFormatter pattern(String pattern) {
        return patterns.computeIfAbsent(pattern, p -> DateTimeFormatter.ofPattern(p.replace("yyyy", "uuuu"))
                .withResolverStyle(ResolverStyle.STRICT));
    }

    /** A refusal of one value; carries the rule name. Cheap: no stack trace. */
    private static final class Refused extends RuntimeException {
        private final String rule;

        Refused(String rule, String message) {
            super(message, null, false, false);
            this.rule = rule;
        }
    }
}
