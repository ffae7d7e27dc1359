package io.refinery.warehouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import org.springframework.stereotype.Component;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Bulk inserts through client-v2 in RowBinary, streamed: rows are written straight into the HTTP
 * request, so a large batch never sits in memory twice.
 */
@Component
public class BulkInserter {

    private final Client client;
    private final QueryMetrics metrics;

    BulkInserter(Client warehouseClient, QueryMetrics warehouseQueryMetrics) {
        this.client = warehouseClient;
        this.metrics = warehouseQueryMetrics;
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
