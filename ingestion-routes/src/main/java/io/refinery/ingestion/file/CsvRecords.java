package io.refinery.ingestion.file;

import io.refinery.ingestion.SourceRecord;
import io.refinery.ingestion.contract.ContractEngine;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams a CSV file as records keyed by header: one record in memory at a time. Bytes that are
 * not valid in the encoding become U+FFFD (the contract refuses them as an encoding problem);
 * short or long rows and a truncated tail become records marked malformed, so nothing is dropped
 * silently and no file stops the route.
 */
public final class CsvRecords {

    private CsvRecords() {
    }

    /** Reads {@code in}; with a non-empty {@code header} the file has no header line. Returns records read. */
    public static long read(InputStream in, Charset charset, char delimiter, List<String> header,
                            Consumer<SourceRecord> sink) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
        CSVFormat.Builder format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL).setAllowMissingColumnNames(true)
                .setIgnoreSurroundingSpaces(false).setTrailingData(true).setLenientEof(true);
        if (header.isEmpty()) {
            format.setHeader().setSkipHeaderRecord(true);
        } else {
            format.setHeader(header.toArray(String[]::new));
        }
        CSVParser parser;
        try {
            parser = CSVParser.builder().setReader(reader).setFormat(format.get()).get();
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            sink.accept(new SourceRecord("header", Map.of(ContractEngine.MALFORMED_MARKER,
                    "unreadable header: " + e.getMessage())));
            return 1;
        }
        List<String> names = parser.getHeaderNames().stream()
                .map(n -> n.startsWith("\uFEFF") ? n.substring(1) : n).toList();
        long count = 0;
        Iterator<CSVRecord> records = parser.iterator();
        long line = 1;
        while (true) {
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    break;
                }
                record = records.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                // A broken quote or a cut-off file: account for the rest as one malformed record.
                sink.accept(new SourceRecord("line " + (line + 1), Map.of(ContractEngine.MALFORMED_MARKER,
                        "unparseable from here: " + rootMessage(e))));
                return count + 1;
            }
            line = parser.getCurrentLineNumber();
            Map<String, String> fields = new LinkedHashMap<>(names.size() * 2);
            int n = Math.min(names.size(), record.size());
            for (int i = 0; i < n; i++) {
                fields.put(names.get(i), record.get(i));
            }
            if (record.size() != names.size()) {
                fields.put(ContractEngine.MALFORMED_MARKER, "row has " + record.size() + " values, header has "
                        + names.size());
            }
            sink.accept(new SourceRecord("line " + line, fields));
            count++;
        }
        return count;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
