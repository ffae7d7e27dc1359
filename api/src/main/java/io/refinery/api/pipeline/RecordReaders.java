package io.refinery.api.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.IngestSession;
import io.refinery.ingestion.SourceRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** Reads upload files record by record (never the whole file in memory) as source records. */
final class RecordReaders {

    /** The file is not what its format says. */
    static final class UnreadableException extends RuntimeException {
        UnreadableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_COLUMNS = 500;

    private RecordReaders() {
    }

    /** CSV with a header row; the offset is the line of the record. */
    static Iterator<SourceRecord> csv(InputStream in) throws IOException {
        CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setTrim(true).get().parse(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<String> header = parser.getHeaderNames();
        if (header.isEmpty() || header.size() > MAX_COLUMNS) {
            throw new UnreadableException("a header row of 1 to " + MAX_COLUMNS + " columns is needed", null);
        }
        Iterator<CSVRecord> records = parser.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return records.hasNext();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw new UnreadableException(e.getMessage(), e);
                }
            }

            @Override
            public SourceRecord next() {
                CSVRecord record;
                try {
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw new UnreadableException(e.getMessage(), e);
                }
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    fields.put(header.get(i), i < record.size() ? record.get(i) : "");
                }
                return new SourceRecord(Long.toString(record.getRecordNumber() + 1), fields);
            }
        };
    }

    /** One JSON object per line; blank lines are skipped; values become their text. */
    static Iterator<SourceRecord> jsonLines(InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return new Iterator<>() {
            private SourceRecord next;
            private long line;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                try {
                    for (String text; (text = reader.readLine()) != null; ) {
                        line++;
                        if (text.isBlank()) {
                            continue;
                        }
                        JsonNode node;
                        try (JsonParser parser = JSON.createParser(text)) {
                            node = JSON.readTree(parser);
                        } catch (IOException e) {
                            throw new UnreadableException("line " + line + " is not JSON", e);
                        }
                        if (node == null || !node.isObject()) {
                            throw new UnreadableException("line " + line + " is not a JSON object", null);
                        }
                        Map<String, String> fields = new LinkedHashMap<>();
                        node.properties().forEach(e -> fields.put(e.getKey(),
                                e.getValue().isNull() ? "" : e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
                        next = new SourceRecord(Long.toString(line), fields);
                        return true;
                    }
                    return false;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public SourceRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SourceRecord r = next;
                next = null;
                return r;
            }
        };
    }

    /** The first sheet of a workbook, read with POI's SAX reader; the first row is the header. */
    static IngestResult xlsx(Path file, IngestSession session) {
        try (session; OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg);
            Iterator<InputStream> sheets = reader.getSheetsData();
            if (!sheets.hasNext()) {
                throw new UnreadableException("the workbook has no sheet", null);
            }
            try (InputStream sheet = sheets.next()) {
                XMLReader parser = XMLHelper.newXMLReader();
                parser.setContentHandler(new XSSFSheetXMLHandler(reader.getStylesTable(), null, strings,
                        new RowsToRecords(session), new DataFormatter(), false));
                parser.parse(new InputSource(sheet));
            }
            return session.finish();
        } catch (UnreadableException e) {
            throw e;
        } catch (Exception e) {
            throw new UnreadableException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    private static final class RowsToRecords implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final IngestSession session;
        private final List<String> header = new ArrayList<>();
        private Map<String, String> row;
        private int rowNum;

        RowsToRecords(IngestSession session) {
            this.session = session;
        }

        @Override
        public void startRow(int rowNum) {
            this.rowNum = rowNum;
            row = new LinkedHashMap<>();
        }

        @Override
        public void endRow(int rowNum) {
            if (rowNum == 0 || header.isEmpty()) {
                return;
            }
            if (row.values().stream().allMatch(String::isBlank)) {
                return;
            }
            header.forEach(h -> row.putIfAbsent(h, ""));
            session.accept(new SourceRecord(Integer.toString(rowNum + 1), row));
        }

        @Override
        public void cell(String reference, String value, XSSFComment comment) {
            int column = new org.apache.poi.ss.util.CellReference(reference).getCol();
            if (rowNum == 0) {
                if (column >= MAX_COLUMNS) {
                    throw new UnreadableException("more than " + MAX_COLUMNS + " columns", null);
                }
                while (header.size() < column) {
                    header.add("column" + (header.size() + 1));
                }
                header.add(value.strip());
            } else if (column < header.size()) {
                row.put(header.get(column), value == null ? "" : value.strip());
            }
        }
    }
}
