package io.refinery.warehouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import org.springframework.stereotype.Component;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bulk inserts through client-v2 in RowBinary, streamed: rows are written straight into the HTTP
 * request, so a large batch never sits in memory twice.
 */
@Component
public class BulkInserter {

    private static final Pattern WRITTEN_ROWS = Pattern.compile("\"written_rows\":\"?(\\d+)");

    private final Client client;
    private final QueryMetrics metrics;
    private final WarehouseEndpoint endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    BulkInserter(Client warehouseClient, QueryMetrics warehouseQueryMetrics, WarehouseEndpoint endpoint) {
        this.client = warehouseClient;
        this.metrics = warehouseQueryMetrics;
        this.endpoint = endpoint;
    }

    /** Inserts the rows {@code writer} produces into {@code table}({@code columns}); returns rows written. */
    public long insertRowBinary(String table, List<String> columns, Consumer<RowBinaryWriter> writer) {
        InsertSettings settings = new InsertSettings();
        return metrics.time(QueryMetrics.caller(), "insert", () -> await(client.insert(table, columns, out -> {
            BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
            writer.accept(new RowBinaryWriter(buffered));
            buffered.flush();
        }, ClickHouseFormat.RowBinary, settings)));
    }

    /** Inserts data already encoded in {@code format}. */
    public long insert(String table, List<String> columns, InputStream data, ClickHouseFormat format) {
        return metrics.time(QueryMetrics.caller(), "insert", () -> await(client.insert(table, columns, data, format)));
    }

    /**
     * Runs {@code insertSelect}, an {@code INSERT … SELECT … FROM input('structure')}, over {@code data} in
     * {@code format}: the engine parses and transforms the data itself (ClickHouse's HTTP interface takes
     * the statement in the URL and the data as the body). Returns the rows written.
     */
    public long insertSelect(String insertSelect, String format, byte[] data) {
        return insertSelect(insertSelect, format, data, data.length);
    }

    /** As {@link #insertSelect(String, String, byte[])}, over the first {@code length} bytes of {@code data}. */
    public long insertSelect(String insertSelect, String format, byte[] data, int length) {
        return metrics.time(QueryMetrics.caller(), "insert", () -> {
            String sql = insertSelect + " FORMAT " + format;
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.httpUrl() + "/?database="
                            + URLEncoder.encode(endpoint.database(), StandardCharsets.UTF_8) + "&query="
                            + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                    .header("X-ClickHouse-User", endpoint.user()).header("X-ClickHouse-Key", endpoint.password())
                    .timeout(Duration.ofMinutes(30)).POST(HttpRequest.BodyPublishers.ofByteArray(data, 0, length)).build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WarehouseException("insert interrupted", e);
            } catch (IOException e) {
                throw new WarehouseException("insert failed: " + e, e);
            }
            if (response.statusCode() != 200) {
                throw new WarehouseException("insert failed: " + response.body().strip(), null);
            }
            Matcher written = WRITTEN_ROWS.matcher(response.headers().firstValue("X-ClickHouse-Summary").orElse(""));
            return written.find() ? Long.parseLong(written.group(1)) : -1;
        });
    }

    private long await(java.util.concurrent.CompletableFuture<InsertResponse> future) {
        try (InsertResponse response = future.get(30, TimeUnit.MINUTES)) {
            return response.getWrittenRows();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            metrics.limitExceeded(cause).ifPresent(limit -> {
                throw limit;
            });
            throw new WarehouseException("bulk insert failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WarehouseException("bulk insert interrupted", e);
        } catch (TimeoutException e) {
            throw new WarehouseException("bulk insert timed out", e);
        } catch (Exception e) {
            throw new WarehouseException("bulk insert failed: " + e.getMessage(), e);
        }
    }
}
