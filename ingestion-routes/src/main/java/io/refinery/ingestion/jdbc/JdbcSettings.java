package io.refinery.ingestion.jdbc;

import io.refinery.ingestion.IngestRequest;

import java.util.List;

/** The checked options of one JDBC route. */
record JdbcSettings(String routeId, String jdbcUrl, String username, String passwordSecret, String table,
                    String cursorColumn, boolean cursorIsTimestamp, String keyColumn, int pageSize, int pollDelayMs,
                    JdbcCursor initialCursor, IngestRequest request, List<String> problems) {
}
