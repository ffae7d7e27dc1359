package io.refinery.warehouse;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster variant of a migration statement, for {@code refinery.warehouse.cluster=<name>}: the
 * single-server DDL stays the one source of truth and is rewritten mechanically, so the two can
 * never drift apart.
 *
 * <ul>
 *   <li>{@code CREATE TABLE t (…) ENGINE = [Replacing]MergeTree(…)} becomes a local table
 *       {@code t_local ON CLUSTER c} with {@code Replicated[Replacing]MergeTree('/clickhouse/tables/{shard}/{database}/t_local',
 *       '{replica}', …)} and a {@code Distributed(c, currentDatabase(), t_local, key)} table named
 *       {@code t}, so every query and insert of the application is unchanged.</li>
 *   <li>The sharding key hashes the table's sorting key: rows with the same key (re-deliveries a
 *       ReplacingMergeTree collapses) always land on the same shard, which is what makes
 *       {@code FINAL} through the Distributed table correct.</li>
 *   <li>{@code CREATE VIEW} and {@code ALTER TABLE … ADD/DROP/MODIFY/RENAME COLUMN} run {@code ON CLUSTER}
 *       (column changes on the local and the distributed table); data mutations go to the local table.</li>
 * </ul>
 * Small control tables ({@link #UNSHARDED}) are instead one replicated table on every node.
 * Any other statement is refused, so a new kind of migration cannot silently skip the cluster.
 */
public final class ClusterDdl {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "CREATE TABLE IF NOT EXISTS (\\w+)\\s*\\((.*)\\)\\s*ENGINE\\s*=\\s*(MergeTree|ReplacingMergeTree)(?:\\(([^)]*)\\))?(.*)",
            Pattern.DOTALL);
    private static final Pattern ORDER_BY = Pattern.compile("ORDER BY\\s+(\\([^)]*\\)|\\w+)");
    private static final Pattern CREATE_VIEW = Pattern.compile("CREATE VIEW IF NOT EXISTS (\\w+)\\s+(AS\\s.*)", Pattern.DOTALL);
    private static final Pattern ALTER = Pattern.compile("ALTER TABLE (\\w+)\\s+(.*)", Pattern.DOTALL);
    private static final Pattern COLUMN_CHANGE = Pattern.compile("(ADD|DROP|MODIFY|RENAME|COMMENT) COLUMN\\b.*",
            Pattern.DOTALL);

    public static final String LOCAL_SUFFIX = "_local";

    /**
     * Small control tables that are not sharded but fully replicated on every node (one replication
     * group, no {@code {shard}} in the path, no Distributed table): leases must be read on one
     * replication group with sequential consistency to hold (see the lease protocol), and accounts,
     * tokens, route definitions, cursors and job runs are tiny and read on every request or tick.
     */
    public static final java.util.Set<String> UNSHARDED = java.util.Set.of("leases", "job_runs", "user_accounts",
            "api_tokens", "ingest_routes", "ingest_route_audit", "ingest_cursors");

    private ClusterDdl() {
    }

    /** The statements that replace {@code statement} on cluster {@code cluster}, in order. */
    public static List<String> rewrite(String statement, String cluster) {
        if (!NAME.matcher(cluster).matches()) {
            throw new IllegalArgumentException("cluster name must be a plain identifier: " + cluster);
        }
        String sql = statement.strip();
        Matcher table = CREATE_TABLE.matcher(sql);
        if (table.matches()) {
            return createTable(table, cluster);
        }
        Matcher view = CREATE_VIEW.matcher(sql);
        if (view.matches()) {
            return List.of("CREATE VIEW IF NOT EXISTS " + view.group(1) + " ON CLUSTER " + cluster + " " + view.group(2));
        }
        Matcher alter = ALTER.matcher(sql);
        if (alter.matches()) {
            if (UNSHARDED.contains(alter.group(1))) {
                return List.of("ALTER TABLE " + alter.group(1) + " ON CLUSTER " + cluster + " " + alter.group(2));
            }
            String local = "ALTER TABLE " + alter.group(1) + LOCAL_SUFFIX + " ON CLUSTER " + cluster + " " + alter.group(2);
            if (COLUMN_CHANGE.matcher(alter.group(2)).matches()) {
                return List.of(local, "ALTER TABLE " + alter.group(1) + " ON CLUSTER " + cluster + " " + alter.group(2));
            }
            return List.of(local);
        }
        throw new IllegalArgumentException("no cluster variant for this kind of statement; teach ClusterDdl: "
                + sql.lines().findFirst().orElse(""));
    }

    /** The bookkeeping table of the migrator: one replicated copy shared by every node (no shard in its path). */
    public static String migrationsTable(String cluster) {
        return """
                CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER %s (
                    version UInt32, description String, checksum String,
                    applied_at DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
                ) ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/schema_migrations', '{replica}')
                ORDER BY version""".formatted(cluster);
    }

    private static List<String> createTable(Matcher m, String cluster) {
        String name = m.group(1);
        String local = name + LOCAL_SUFFIX;
        String engine = m.group(3);
        String args = m.group(4) == null ? "" : m.group(4).strip();
        String rest = m.group(5);
        Matcher orderBy = ORDER_BY.matcher(rest);
        if (!orderBy.find()) {
            throw new IllegalArgumentException("table " + name + " has no ORDER BY to derive its sharding key from");
        }
        String sortingKey = orderBy.group(1);
        String keyColumns = sortingKey.startsWith("(") ? sortingKey.substring(1, sortingKey.length() - 1) : sortingKey;
        if (UNSHARDED.contains(name)) {
            String path = "'/clickhouse/tables/all/{database}/" + name + "', '{replica}'";
            return List.of("CREATE TABLE IF NOT EXISTS " + name + " ON CLUSTER " + cluster + " (" + m.group(2) + ")"
                    + " ENGINE = Replicated" + engine + "(" + path + (args.isEmpty() ? "" : ", " + args) + ")" + rest);
        }
        String path = "'/clickhouse/tables/{shard}/{database}/" + local + "', '{replica}'";
        String replicated = "Replicated" + engine + "(" + path + (args.isEmpty() ? "" : ", " + args) + ")";
        String localDdl = "CREATE TABLE IF NOT EXISTS " + local + " ON CLUSTER " + cluster + " (" + m.group(2) + ")"
                + " ENGINE = " + replicated + rest;
        String distributed = "CREATE TABLE IF NOT EXISTS " + name + " ON CLUSTER " + cluster + " AS " + local
                + " ENGINE = Distributed(" + cluster + ", currentDatabase(), " + local + ", cityHash64(" + keyColumns + "))";
        return List.of(localDdl, distributed);
    }

    /** The engine a rewritten statement creates, for checks: e.g. {@code ReplicatedReplacingMergeTree}. */
    static String engineOf(String statement) {
        Matcher m = Pattern.compile("ENGINE\\s*=\\s*(\\w+)").matcher(statement);
        return m.find() ? m.group(1) : statement.toUpperCase(Locale.ROOT).startsWith("CREATE VIEW") ? "View" : "";
    }
}
