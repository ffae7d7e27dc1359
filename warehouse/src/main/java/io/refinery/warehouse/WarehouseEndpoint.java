package io.refinery.warehouse;

/**
 * How to reach the warehouse: resolved once from {@link WarehouseProperties}, embedded or server.
 * The password stays inside the process.
 */
public record WarehouseEndpoint(String httpUrl, String user, String password, String database, boolean embedded) {

    /** JDBC URL of {@code db}; compression is off because the embedded endpoint does not frame LZ4. */
    public String jdbcUrl(String db) {
        return "jdbc:clickhouse:" + httpUrl + "/" + db + (embedded ? "?compress=0" : "");
    }

    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    @Override
    public String toString() {
        return "WarehouseEndpoint[" + httpUrl + "/" + database + (embedded ? ", embedded" : "") + "]";
    }
}
