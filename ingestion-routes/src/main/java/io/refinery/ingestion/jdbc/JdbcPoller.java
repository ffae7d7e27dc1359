package io.refinery.ingestion.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.RouteStopRequested;
import io.refinery.ingestion.SourceRecord;
import io.refinery.warehouse.ingest.CursorStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Incremental polling of one ERP table by a cursor column (updated_at or an increasing id), with a
 * key column breaking ties so rows sharing a cursor value are never skipped at a page boundary.
 * Each page is one batch whose id derives from the cursor range; the cursor advances in the
 * warehouse only after the page is landed, so a crash re-reads the page and lands nothing twice.
 * The SQL is portable: PostgreSQL and MariaDB (identifiers are checked, values are bound).
 */
final class JdbcPoller extends ServiceSupport implements Processor {

    private static final Logger log = LoggerFactory.getLogger(JdbcPoller.class);
    private static final int MAX_PAGES_PER_POLL = 1000;

    private final JdbcSettings settings;
    private final Ingestion ingestion;
    private final CursorStore cursors;
    private final ApplicationEventPublisher events;
    private final String password;
    private HikariDataSource dataSource;

    JdbcPoller(JdbcSettings settings, String password, Ingestion ingestion, CursorStore cursors,
               ApplicationEventPublisher events) {
        this.settings = settings;
        this.password = password;
        this.ingestion = ingestion;
        this.cursors = cursors;
        this.events = events;
    }

    @Override
    protected void doStart() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("erp-" + settings.routeId());
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.username());
        config.setPassword(password);
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setReadOnly(true);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(10_000);
        dataSource = new HikariDataSource(config);
    }

    @Override
    protected void doStop() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Override
    public void process(Exchange exchange) throws SQLException {
        JdbcCursor cursor = cursors.cursor(settings.routeId()).map(c -> JdbcCursor.fromJson(c.cursor()))
                .orElse(settings.initialCursor());
        for (int page = 0; page < MAX_PAGES_PER_POLL; page++) {
            Page read;
            try (Connection connection = dataSource.getConnection()) {
                read = read(connection, cursor, settings.pageSize());
            }
            if (read.records().isEmpty()) {
                return;
            }
            IngestRequest request = settings.request().withSourceRef(settings.table() + " (" + cursor + ", "
                    + read.last() + "]").withBatchKey("jdbc|" + cursor.toJson() + "|" + read.last().toJson() + "|"
                    + read.records().size());
            IngestResult result = ingestion.ingest(request, read.records().iterator());
            // Landed (and decided): only now may the cursor move past these rows.
            cursors.advance(settings.routeId(), read.last().toJson(), result.batchId());
            cursor = read.last();
            if (result.stopRequested()) {
                events.publishEvent(new RouteStopRequested(settings.routeId(), "schema drift: " + result.drift()));
                return;
            }
            if (read.records().size() < settings.pageSize()) {
                return;
            }
        }
        log.info("Route {} read {} pages in one poll; continuing at the next", settings.routeId(), MAX_PAGES_PER_POLL);
    }

    record Page(List<SourceRecord> records, JdbcCursor last) {
    }

    Page read(Connection connection, JdbcCursor from, int limit) throws SQLException {
        String c = settings.cursorColumn();
        String k = settings.keyColumn();
        StringBuilder sql = new StringBuilder("SELECT * FROM ").append(settings.table());
        if (from.value() != null) {
            sql.append(k == null || from.key() == null ? " WHERE " + c + " > ?"
                    : " WHERE (" + c + " > ? OR (" + c + " = ? AND " + k + " > ?))");
        }
        sql.append(" ORDER BY ").append(c).append(k == null ? "" : ", " + k).append(" LIMIT ").append(limit);
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            statement.setQueryTimeout(300);
            statement.setFetchSize(Math.min(limit, 10_000));
            if (from.value() != null) {
                bindCursor(statement, 1, from.value());
                if (k != null && from.key() != null) {
                    bindCursor(statement, 2, from.value());
                    if (from.keyIsNumber()) {
                        statement.setBigDecimal(3, new BigDecimal(from.key()));
                    } else {
                        statement.setString(3, from.key());
                    }
                }
            }
            List<SourceRecord> records = new ArrayList<>();
            JdbcCursor last = from;
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                int cursorIndex = rs.findColumn(c);
                int keyIndex = k == null ? -1 : rs.findColumn(k);
                while (rs.next()) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        String text = text(rs.getObject(i));
                        if (text != null) {
                            fields.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), text);
                        }
                    }
                    Object keyValue = keyIndex < 0 ? null : rs.getObject(keyIndex);
                    last = new JdbcCursor(text(rs.getObject(cursorIndex)), keyValue == null ? null : text(keyValue),
                            keyValue instanceof Number);
                    records.add(new SourceRecord(last.toString(), fields));
                }
            }
            return new Page(records, last);
        }
    }

    private void bindCursor(PreparedStatement statement, int index, String value) throws SQLException {
        if (settings.cursorIsTimestamp()) {
            statement.setTimestamp(index, Timestamp.valueOf(LocalDateTime.parse(value)));
        } else {
            statement.setBigDecimal(index, new BigDecimal(value));
        }
    }

    private static String text(Object value) {
        return switch (value) {
            case null -> null;
            case Timestamp t -> t.toLocalDateTime().toString();
            case java.sql.Date d -> d.toLocalDate().toString();
            case java.time.OffsetDateTime o -> o.toInstant().toString();
            case BigDecimal b -> b.toPlainString();
            case byte[] bytes -> new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            default -> value.toString();
        };
    }
}
