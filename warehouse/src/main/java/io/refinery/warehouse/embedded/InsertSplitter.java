package io.refinery.warehouse.embedded;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits an INSERT that carries its data inline into the statement head and the data.
 *
 * <p>chDB stops reading inline INSERT data at the first blank line, so binary or multi-line data
 * would be cut silently. The endpoint therefore spools the data to a file and rewrites the
 * statement to {@code INSERT … FROM INFILE '…' FORMAT …}, which reads every byte.
 */
final class InsertSplitter {

    /** An INSERT split into the part before the data and the data's format. */
    record Split(String head, String settingsClause, String format, int dataOffset) {

        /** The statement that reads the spooled data from {@code file}. */
        String fromInfile(String file) {
            return head + " FROM INFILE " + ChdbEngine.quoteLiteral(file)
                    + (settingsClause.isEmpty() ? "" : " " + settingsClause) + " FORMAT " + format;
        }
    }

    private InsertSplitter() {
    }

    /**
     * {@code sql} is the statement's bytes read as ISO-8859-1, so that character offsets are byte
     * offsets (the data after the statement may be binary) and ASCII keywords still match.
     *
     * Returns the split of an {@code INSERT … VALUES …} or {@code INSERT … FORMAT name data}
     * statement, or null when the statement is not an INSERT with inline data (e.g. INSERT … SELECT).
     * {@code dataOffset} is where the data starts in {@code sql}; it may equal its length.
     */
    static Split split(String sql) {
        int start = skipSpaceAndComments(sql, 0);
        if (!startsWithWord(sql, start, "INSERT")) {
            return null;
        }
        int settingsAt = -1;
        int i = start + "INSERT".length();
        int depth = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i);
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && Character.isLetter(c) && !Character.isLetterOrDigit(sql.charAt(i - 1))
                    && sql.charAt(i - 1) != '_' && sql.charAt(i - 1) != '.') {
                int end = wordEnd(sql, i);
                String word = sql.substring(i, end).toUpperCase(Locale.ROOT);
                switch (word) {
                    case "SELECT", "WITH", "INFILE" -> {
                        return null;
                    }
                    case "SETTINGS" -> settingsAt = i;
                    case "VALUES" -> {
                        String head = sql.substring(0, settingsAt >= 0 ? settingsAt : i).strip();
                        String settings = settingsAt >= 0 ? sql.substring(settingsAt, i).strip() : "";
                        return new Split(utf8(head), utf8(settings), "Values", end);
                    }
                    case "FORMAT" -> {
                        int nameStart = skipSpace(sql, end);
                        int nameEnd = wordEnd(sql, nameStart);
                        if (nameEnd == nameStart) {
                            return null;
                        }
                        String head = sql.substring(0, settingsAt >= 0 ? settingsAt : i).strip();
                        String settings = settingsAt >= 0 ? sql.substring(settingsAt, i).strip() : "";
                        return new Split(utf8(head), utf8(settings), sql.substring(nameStart, nameEnd),
                                dataStart(sql, nameEnd));
                    }
                    default -> {
                        // table names, column names and other keywords
                    }
                }
                i = end;
                continue;
            }
            i++;
        }
        return null;
    }

    private static final Pattern INPUT_INSERT = Pattern.compile(
            "(?is)^\\s*INSERT\\b(.*?)\\binput\\s*\\((.*)\\s+FORMAT\\s+(\\w+)\\s*;?\\s*$");

    /** Whether {@code sql} is an {@code INSERT … SELECT … FROM input(…) … FORMAT name} that reads the body. */
    static boolean readsInput(String sql) {
        return INPUT_INSERT.matcher(sql).matches();
    }

    /**
     * An {@code INSERT … SELECT … FROM input('structure') … FORMAT name} whose data is the request body (as a
     * ClickHouse server takes it), rewritten to read the spooled body with {@code file(spool, name, …)};
     * null when {@code sql} is not such a statement ({@link #readsInput}).
     */
    static String inputToFile(String sql, String spool) {
        Matcher m = INPUT_INSERT.matcher(sql);
        if (!m.matches()) {
            return null;
        }
        return "INSERT" + m.group(1) + "file(" + ChdbEngine.quoteLiteral(spool) + ", "
                + ChdbEngine.quoteLiteral(m.group(3)) + ", " + m.group(2);
    }

    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** ClickHouse skips blanks and at most one line break between the format name and the data. */
    private static int dataStart(String sql, int i) {
        while (i < sql.length() && (sql.charAt(i) == ' ' || sql.charAt(i) == '\t')) {
            i++;
        }
        if (i < sql.length() && sql.charAt(i) == '\r') {
            i++;
        }
        if (i < sql.length() && sql.charAt(i) == '\n') {
            i++;
        }
        return i;
    }

    private static boolean startsWithWord(String sql, int at, String word) {
        return sql.regionMatches(true, at, word, 0, word.length())
                && (at + word.length() == sql.length() || !Character.isLetterOrDigit(sql.charAt(at + word.length())));
    }

    private static int wordEnd(String sql, int i) {
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        return i;
    }

    private static int skipSpace(String sql, int i) {
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipSpaceAndComments(String sql, int i) {
        while (i < sql.length()) {
            if (Character.isWhitespace(sql.charAt(i))) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? sql.length() : nl + 1;
            } else if (sql.startsWith("/*", i)) {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? sql.length() : close + 2;
            } else {
                return i;
            }
        }
        return i;
    }

    private static int skipQuoted(String sql, int i) {
        char quote = sql.charAt(i);
        i++;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return i;
    }
}
