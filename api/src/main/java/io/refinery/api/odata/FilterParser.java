package io.refinery.api.odata;

import io.refinery.warehouse.api.ColumnType;
import io.refinery.warehouse.api.RowFilter;
import io.refinery.warehouse.api.RowFilter.Operator;
import io.refinery.warehouse.api.ServedColumn;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small, strict parser of OData {@code $filter}: comparisons {@code property op literal} with eq,
 * ne, gt, ge, lt, le, combined with and, or and parentheses. Literals: 'strings' ('' escapes a
 * quote), numbers, dates (2024-01-31), date-times with offset, true, false, null. Properties must
 * exist and literals must fit their type. Anything else (functions, arithmetic, not, other
 * operators, unknown names) is refused with a message; nothing from the text ever reaches SQL
 * except as a bound value.
 */
final class FilterParser {

    /** The filter cannot be accepted; the message says why, for a 400 problem. */
    static final class InvalidFilterException extends RuntimeException {
        InvalidFilterException(String message) {
            super(message);
        }
    }

    static final int MAX_LENGTH = 8_000;
    private static final int MAX_DEPTH = 32;

    private enum Kind { IDENT, STRING, NUMBER, DATE, DATETIME, OPEN, CLOSE, END }

    private record Token(Kind kind, String text, int position) {
    }

    private static final Pattern TOKENS = Pattern.compile(
            "\\s*(?:(?<open>\\()|(?<close>\\))|(?<string>'(?:[^']|'')*')"
                    + "|(?<datetime>\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:Z|[+-]\\d{2}:\\d{2}))"
                    + "|(?<date>\\d{4}-\\d{2}-\\d{2})(?![\\w:.])"
                    + "|(?<number>-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?[mMdDfFlL]?)(?![\\w.])"
                    + "|(?<ident>[A-Za-z_][A-Za-z0-9_]*))");

    private final List<Token> tokens;
    private final Function<String, ServedColumn> columns;
    private int next;
    private int depth;

    private FilterParser(List<Token> tokens, Function<String, ServedColumn> columns) {
        this.tokens = tokens;
        this.columns = columns;
    }

    /** Parses {@code text} against the columns ({@code columns} returns null for an unknown name). */
    static RowFilter parse(String text, Function<String, ServedColumn> columns) {
        if (text == null || text.isBlank()) {
            return RowFilter.NONE;
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidFilterException("$filter is longer than " + MAX_LENGTH + " characters");
        }
        FilterParser parser = new FilterParser(tokenize(text), columns);
        RowFilter filter = parser.or();
        Token end = parser.peek();
        if (end.kind() != Kind.END) {
            throw new InvalidFilterException("unexpected '" + end.text() + "' at position " + (end.position() + 1));
        }
        return filter;
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        Matcher m = TOKENS.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (text.substring(at).isBlank()) {
                break;
            }
            m.region(at, text.length());
            if (!m.lookingAt()) {
                int p = at;
                while (p < text.length() && Character.isWhitespace(text.charAt(p))) {
                    p++;
                }
                throw new InvalidFilterException("unexpected character '" + text.charAt(p) + "' at position "
                        + (p + 1) + " of $filter");
            }
            Kind kind = m.group("open") != null ? Kind.OPEN : m.group("close") != null ? Kind.CLOSE
                    : m.group("string") != null ? Kind.STRING : m.group("datetime") != null ? Kind.DATETIME
                    : m.group("date") != null ? Kind.DATE : m.group("number") != null ? Kind.NUMBER : Kind.IDENT;
            String value = switch (kind) {
                case OPEN -> m.group("open");
                case CLOSE -> m.group("close");
                case STRING -> m.group("string");
                case DATETIME -> m.group("datetime");
                case DATE -> m.group("date");
                case NUMBER -> m.group("number");
                default -> m.group("ident");
            };
            tokens.add(new Token(kind, value, m.start(kind.name().toLowerCase(Locale.ROOT))));
            at = m.end();
        }
        tokens.add(new Token(Kind.END, "end of $filter", text.length()));
        return tokens;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        return tokens.get(next++);
    }

    private boolean takeKeyword(String keyword) {
        Token t = peek();
        if (t.kind() == Kind.IDENT && t.text().equals(keyword)) {
            next++;
            return true;
        }
        return false;
    }

    private RowFilter or() {
        List<RowFilter> parts = new ArrayList<>();
        parts.add(and());
        while (takeKeyword("or")) {
            parts.add(and());
        }
        return parts.size() == 1 ? parts.getFirst() : new RowFilter.Any(parts);
    }

    private RowFilter and() {
        List<RowFilter> parts = new ArrayList<>();
        parts.add(primary());
        while (takeKeyword("and")) {
            parts.add(primary());
        }
        return parts.size() == 1 ? parts.getFirst() : new RowFilter.All(parts);
    }

    private RowFilter primary() {
        Token t = peek();
        if (t.kind() == Kind.OPEN) {
            if (++depth > MAX_DEPTH) {
                throw new InvalidFilterException("$filter nests parentheses deeper than " + MAX_DEPTH);
            }
            take();
            RowFilter inner = or();
            Token close = take();
            if (close.kind() != Kind.CLOSE) {
                throw new InvalidFilterException("expected ')' at position " + (close.position() + 1));
            }
            depth--;
            return inner;
        }
        return comparison();
    }

    private RowFilter comparison() {
        Token property = take();
        if (property.kind() != Kind.IDENT || isKeyword(property.text())) {
            throw new InvalidFilterException("expected a property name at position " + (property.position() + 1)
                    + ", found '" + property.text() + "'");
        }
        if (peek().kind() == Kind.OPEN) {
            throw new InvalidFilterException("functions such as " + property.text() + "() are not supported;"
                    + " use eq, ne, gt, ge, lt, le, and, or");
        }
        ServedColumn column = columns.apply(property.text());
        if (column == null) {
            throw new InvalidFilterException("unknown property '" + property.text() + "'");
        }
        Token op = take();
        Operator operator = op.kind() == Kind.IDENT ? switch (op.text()) {
            case "eq" -> Operator.EQ;
            case "ne" -> Operator.NE;
            case "gt" -> Operator.GT;
            case "ge" -> Operator.GE;
            case "lt" -> Operator.LT;
            case "le" -> Operator.LE;
            default -> null;
        } : null;
        if (operator == null) {
            throw new InvalidFilterException("expected eq, ne, gt, ge, lt or le after '" + property.text()
                    + "', found '" + op.text() + "'");
        }
        Token literal = take();
        return literal(column, operator, literal);
    }

    private static boolean isKeyword(String text) {
        return switch (text) {
            case "and", "or", "not", "eq", "ne", "gt", "ge", "lt", "le", "true", "false", "null" -> true;
            default -> false;
        };
    }

    private static RowFilter literal(ServedColumn column, Operator operator, Token literal) {
        if (literal.kind() == Kind.IDENT && literal.text().equals("null")) {
            if (operator != Operator.EQ && operator != Operator.NE) {
                throw new InvalidFilterException("null can only be compared with eq or ne");
            }
            return new RowFilter.Compare(column.name(), operator, null);
        }
        ColumnType type = column.type();
        try {
            return switch (type) {
                case STRING -> {
                    expect(column, literal, Kind.STRING);
                    String quoted = literal.text();
                    yield new RowFilter.Compare(column.name(), operator,
                            quoted.substring(1, quoted.length() - 1).replace("''", "'"));
                }
                case DATE -> {
                    if (literal.kind() == Kind.DATE) {
                        yield new RowFilter.Compare(column.name(), operator, LocalDate.parse(literal.text()));
                    }
                    expect(column, literal, Kind.DATETIME);
                    OffsetDateTime at = OffsetDateTime.parse(literal.text()).withOffsetSameInstant(ZoneOffset.UTC);
                    LocalDate day = at.toLocalDate();
                    boolean midnight = at.toLocalTime().toNanoOfDay() == 0;
                    // A date is its day's midnight: "day ge 2024-01-01T12:00Z" starts the next day.
                    Operator adjusted = midnight ? operator : switch (operator) {
                        case GE -> Operator.GT;
                        case LT -> Operator.LE;
                        default -> operator;
                    };
                    yield new RowFilter.Compare(column.name(), adjusted, day);
                }
                case TIMESTAMP -> {
                    if (literal.kind() == Kind.DATE) {
                        yield new RowFilter.Compare(column.name(), operator,
                                LocalDate.parse(literal.text()).atStartOfDay(ZoneOffset.UTC).toInstant());
                    }
                    expect(column, literal, Kind.DATETIME);
                    yield new RowFilter.Compare(column.name(), operator, Instant.from(OffsetDateTime.parse(literal.text())));
                }
                case DECIMAL, DOUBLE -> {
                    expect(column, literal, Kind.NUMBER);
                    yield new RowFilter.Compare(column.name(), operator, new BigDecimal(stripSuffix(literal.text())));
                }
                case INTEGER -> {
                    expect(column, literal, Kind.NUMBER);
                    BigDecimal number = new BigDecimal(stripSuffix(literal.text()));
                    yield new RowFilter.Compare(column.name(), operator, number.longValueExact());
                }
                case BOOLEAN -> {
                    if (literal.kind() != Kind.IDENT || !(literal.text().equals("true") || literal.text().equals("false"))) {
                        throw mismatch(column, literal);
                    }
                    yield new RowFilter.Compare(column.name(), operator, Boolean.parseBoolean(literal.text()));
                }
            };
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new InvalidFilterException("'" + literal.text() + "' is not a valid value for " + column.name());
        }
    }

    private static String stripSuffix(String number) {
        char last = number.charAt(number.length() - 1);
        return Character.isLetter(last) ? number.substring(0, number.length() - 1) : number;
    }

    private static void expect(ServedColumn column, Token literal, Kind kind) {
        if (literal.kind() != kind) {
            throw mismatch(column, literal);
        }
    }

    private static InvalidFilterException mismatch(ServedColumn column, Token literal) {
        String expected = switch (column.type()) {
            case STRING -> "a 'quoted string'";
            case DATE -> "a date (2024-01-31)";
            case TIMESTAMP -> "a date-time with offset (2024-01-31T00:00:00Z)";
            case DECIMAL, DOUBLE, INTEGER -> "a number";
            case BOOLEAN -> "true or false";
        };
        return new InvalidFilterException(column.name() + " compares with " + expected + ", not '" + literal.text() + "'");
    }
}
