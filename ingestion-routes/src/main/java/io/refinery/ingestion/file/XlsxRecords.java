package io.refinery.ingestion.file;

import io.refinery.ingestion.SourceRecord;
import io.refinery.ingestion.contract.ContractEngine;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

import java.io.File;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams one sheet of an XLSX workbook with POI's SAX (event) API: rows are pushed as they are
 * parsed, the sheet is never held in memory. The first row is the header. Date-formatted cells
 * come out as ISO dates / date-times, numbers in plain notation.
 */
final class XlsxRecords {

    private XlsxRecords() {
    }

    static long read(File file, String sheetName, Consumer<SourceRecord> sink) throws Exception {
        try (OPCPackage pkg = OPCPackage.open(file, PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
            StylesTable styles = reader.getStylesTable();
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            while (sheets.hasNext()) {
                try (InputStream sheet = sheets.next()) {
                    if (sheetName != null && !sheetName.equals(sheets.getSheetName())) {
                        continue;
                    }
                    RowCollector rows = new RowCollector(sink);
                    XMLReader parser = XMLHelper.newXMLReader();
                    parser.setContentHandler(new XSSFSheetXMLHandler(styles, null, strings, rows, new IsoFormatter(),
                            false));
                    parser.parse(new InputSource(sheet));
                    return rows.count;
                }
            }
        }
        throw new IllegalArgumentException(sheetName == null ? "workbook has no sheet" : "no sheet named " + sheetName);
    }

    private static final class RowCollector implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final Consumer<SourceRecord> sink;
        private final List<String> header = new ArrayList<>();
        private Map<Integer, String> cells = new LinkedHashMap<>();
        private boolean headerDone;
        private long count;

        RowCollector(Consumer<SourceRecord> sink) {
            this.sink = sink;
        }

        @Override
        public void startRow(int rowNum) {
            cells = new LinkedHashMap<>();
        }

        @Override
        public void endRow(int rowNum) {
            if (!headerDone) {
                int max = cells.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
                for (int i = 0; i <= max; i++) {
                    header.add(cells.getOrDefault(i, "column_" + (i + 1)).strip());
                }
                headerDone = true;
                return;
            }
            if (cells.values().stream().allMatch(String::isBlank)) {
                return;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                fields.put(header.get(i), cells.getOrDefault(i, ""));
            }
            cells.keySet().stream().filter(i -> i >= header.size()).findFirst().ifPresent(i ->
                    fields.put(ContractEngine.MALFORMED_MARKER, "value in column " + (i + 1) + " has no header"));
            sink.accept(new SourceRecord("row " + (rowNum + 1), fields));
            count++;
        }

        @Override
        public void cell(String ref, String value, XSSFComment comment) {
            cells.put((int) new CellReference(ref).getCol(), value == null ? "" : value);
        }
    }

    /** Formats date cells as ISO 8601 and numbers without grouping or exponent, whatever the cell style. */
    private static final class IsoFormatter extends DataFormatter {
        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString, boolean use1904) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                LocalDateTime t = DateUtil.getLocalDateTime(value, use1904);
                return t.toLocalTime().toSecondOfDay() == 0 && t.getNano() == 0 ? t.toLocalDate().toString()
                        : t.toString();
            }
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }
}
