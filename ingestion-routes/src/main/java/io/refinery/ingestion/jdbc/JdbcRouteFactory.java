package io.refinery.ingestion.jdbc;

import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionErrorHandling;
import io.refinery.ingestion.IngestionProperties;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.ingestion.RouteOptions;
import io.refinery.ingestion.Secrets;
import io.refinery.ingestion.SourceKind;
import io.refinery.ingestion.SourceRecord;
import io.refinery.ingestion.SourceRouteFactory;
import io.refinery.warehouse.ingest.CursorStore;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * ERP databases: incremental polling of a table by a cursor column. PostgreSQL and MariaDB.
 * Options: jdbcUrl, username, passwordSecret, table, cursorColumn, cursorType (timestamp|number),
 * keyColumn (tie-breaker; required with a timestamp cursor), pageSize, pollDelayMs, initialCursor.
 */
@Component
class JdbcRouteFactory implements SourceRouteFactory {

    static final List<String> OPTIONS = List.of("jdbcUrl", "username", "passwordSecret", "table", "cursorColumn",
            "cursorType", "keyColumn", "pageSize", "pollDelayMs", "initialCursor");
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:(postgresql|mariadb|mysql)://[A-Za-z0-9.\\-]+(:\\d{1,5})?"
            + "/[A-Za-z0-9_\\-]+(\\?[A-Za-z0-9_=&.\\-]*)?");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    enum CursorType { TIMESTAMP, NUMBER }

    private final Ingestion ingestion;
    private final CursorStore cursors;
    private final Secrets secrets;
    private final IngestionProperties properties;
    private final ApplicationEventPublisher events;

    JdbcRouteFactory(Ingestion ingestion, CursorStore cursors, Secrets secrets, IngestionProperties properties,
                     ApplicationEventPublisher events) {
        this.ingestion = ingestion;
        this.cursors = cursors;
        this.secrets = secrets;
        this.properties = properties;
        this.events = events;
    }

    @Override
    public RouteKind kind() {
        return RouteKind.JDBC;
    }

    @Override
    public List<String> optionNames() {
        return OPTIONS;
    }

    JdbcSettings settings(RouteDefinition definition) {
        RouteOptions options = new RouteOptions(definition, OPTIONS);
        List<String> problems = new ArrayList<>();
        String url = options.required("jdbcUrl");
        if (url != null && !JDBC_URL.matcher(url).matches()) {
            problems.add("option 'jdbcUrl' must be jdbc:postgresql://host:port/db or jdbc:mariadb://host:port/db");
        }
        String table = options.required("table");
        if (table != null && !TABLE.matcher(table).matches()) {
            problems.add("option 'table' must be a plain [schema.]table name");
        }
        String cursor = options.required("cursorColumn");
        if (cursor != null && !IDENTIFIER.matcher(cursor).matches()) {
            problems.add("option 'cursorColumn' must be a plain column name");
        }
        String key = options.text("keyColumn", null);
        if (key != null && !IDENTIFIER.matcher(key).matches()) {
            problems.add("option 'keyColumn' must be a plain column name");
        }
        CursorType type = options.choice("cursorType", CursorType.class, CursorType.TIMESTAMP);
        if (type == CursorType.TIMESTAMP && key == null) {
            problems.add("a timestamp cursor needs 'keyColumn' to break ties between rows of the same time");
        }
        JdbcCursor initial = JdbcCursor.START;
        String initialCursor = options.text("initialCursor", null);
        if (initialCursor != null) {
            try {
                if (type == CursorType.TIMESTAMP) {
                    LocalDateTime.parse(initialCursor);
                } else {
                    new java.math.BigDecimal(initialCursor);
                }
                initial = new JdbcCursor(initialCursor, null, false);
            } catch (RuntimeException e) {
                problems.add("option 'initialCursor' does not match the cursor type");
            }
        }
        String passwordSecret = options.secretRef("passwordSecret");
        int pageSize = options.integer("pageSize", 5000, 1, 500_000);
        int delay = options.integer("pollDelayMs", 10_000, 100, 86_400_000);
        var request = options.request(SourceKind.JDBC, table, pageSize).withBatchSize(pageSize);
        problems.addAll(0, options.problems());
        return new JdbcSettings(definition.id(), url, options.text("username", null), passwordSecret, table, cursor,
                type == CursorType.TIMESTAMP, key, pageSize, delay, initial, request, problems);
    }

    @Override
    public List<String> validate(RouteDefinition definition) {
        return settings(definition).problems();
    }

    @Override
    public RouteBuilder routeBuilder(RouteDefinition definition) {
        JdbcSettings s = settings(definition);
        if (!s.problems().isEmpty()) {
            throw new IllegalArgumentException("route " + definition.id() + ": " + s.problems());
        }
        JdbcPoller poller = new JdbcPoller(s, s.passwordSecret() == null ? null : secrets.require(s.passwordSecret()),
                ingestion, cursors, events);
        return new RouteBuilder() {
            @Override
            public void configure() {
                fromF("timer:%s?period=%d&delay=0&fixedRate=false", definition.id(), s.pollDelayMs())
                        .routeId(definition.id())
                        .routeConfigurationId(IngestionErrorHandling.ID)
                        .process(poller);
            }
        };
    }

    @Override
    public Sample sample(RouteDefinition definition, int limit) throws Exception {
        JdbcSettings s = settings(definition);
        if (!s.problems().isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", s.problems()));
        }
        Properties credentials = new Properties();
        if (s.username() != null) {
            credentials.setProperty("user", s.username());
        }
        if (s.passwordSecret() != null) {
            credentials.setProperty("password", secrets.require(s.passwordSecret()));
        }
        DriverManager.setLoginTimeout(10);
        try (Connection connection = DriverManager.getConnection(s.jdbcUrl(), credentials)) {
            connection.setReadOnly(true);
            JdbcCursor from = cursors.cursor(s.routeId()).map(c -> JdbcCursor.fromJson(c.cursor()))
                    .orElse(s.initialCursor());
            JdbcPoller.Page page = new JdbcPoller(s, null, ingestion, cursors, events).read(connection, from, limit);
            return new Sample(s.table() + " after " + from, page.records().stream().map(SourceRecord::fields).toList());
        }
    }
}
