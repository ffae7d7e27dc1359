package io.refinery.warehouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies {@code classpath*:db/warehouse/V###__name.sql} in order, once each, recording version and
 * checksum in {@code schema_migrations}. No migration library speaks ClickHouse DDL well, and the
 * need is small: an applied script whose text changed is an error, never silently re-run.
 *
 * <p>Scripts are split on {@code ;} at line end; each statement must be idempotent
 * ({@code IF NOT EXISTS}) because ClickHouse DDL is not transactional and a crash may leave a script
 * half applied.
 */
public final class SchemaMigrator {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(.+)\\.sql");
    static final String LOCATION = "classpath*:db/warehouse/V*.sql";

    private final WarehouseEndpoint endpoint;
    private final String cluster;

    public SchemaMigrator(WarehouseEndpoint endpoint) {
        this(endpoint, null);
    }

    /**
     * @param cluster a ClickHouse cluster name ({@code remote_servers}): every statement runs as its
     *                {@link ClusterDdl} variant (replicated local tables, Distributed tables, ON CLUSTER);
     *                blank or null: single server
     */
    public SchemaMigrator(WarehouseEndpoint endpoint, String cluster) {
        this.endpoint = endpoint;
        this.cluster = cluster == null || cluster.isBlank() ? null : cluster.strip();
    }

    /** The statements a migration runs: its own, or their cluster variants. Checksums are of the script either way. */
    public static List<String> statementsFor(Migration migration, String cluster) {
        List<String> statements = statements(migration.sql());
        if (cluster == null || cluster.isBlank()) {
            return statements;
        }
        return statements.stream().flatMap(sql -> ClusterDdl.rewrite(sql, cluster.strip()).stream()).toList();
    }

    /** A migration script found on the classpath. */
    public record Migration(int version, String description, String sql, String checksum) {
    }

    /** Creates the database if needed and applies the pending migrations; returns those applied now. */
    public List<Migration> migrate() {
        List<Migration> migrations = discover();
        Properties credentials = new Properties();
        credentials.setProperty("user", endpoint.user());
        credentials.setProperty("password", endpoint.password());
        try (Connection admin = DriverManager.getConnection(endpoint.jdbcUrl("default"), credentials);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + endpoint.database() + "`"
                    + (cluster == null ? "" : " ON CLUSTER " + cluster));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create warehouse database " + endpoint.database() + ": "
                    + e.getMessage(), e);
        }
        try (Connection connection = DriverManager.getConnection(endpoint.jdbcUrl(), credentials);
             Statement statement = connection.createStatement()) {
            statement.execute(cluster != null ? ClusterDdl.migrationsTable(cluster) : """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version UInt32, description String, checksum String,
                        applied_at DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
                    ) ENGINE = MergeTree ORDER BY version""");
            Map<Integer, String> applied = new HashMap<>();
            try (ResultSet rs = statement.executeQuery("SELECT version, checksum FROM schema_migrations")) {
                while (rs.next()) {
                    applied.put(rs.getInt(1), rs.getString(2));
                }
            }
            List<Migration> appliedNow = new ArrayList<>();
            for (Migration migration : migrations) {
                String checksum = applied.get(migration.version());
                if (checksum != null) {
                    if (!checksum.equals(migration.checksum())) {
                        throw new IllegalStateException("warehouse migration V" + migration.version() + " ("
                                + migration.description() + ") was changed after it was applied; add a new"
                                + " migration instead of editing an applied one");
                    }
                    continue;
                }
                for (String sql : statementsFor(migration, cluster)) {
                    try {
                        statement.execute(sql);
                    } catch (SQLException e) {
                        throw new IllegalStateException("warehouse migration V" + migration.version() + " failed at: "
                                + sql.lines().findFirst().orElse("") + " — " + e.getMessage(), e);
                    }
                }
                try (PreparedStatement record = connection.prepareStatement(
                        "INSERT INTO schema_migrations (version, description, checksum) VALUES (?, ?, ?)")) {
                    record.setInt(1, migration.version());
                    record.setString(2, migration.description());
                    record.setString(3, migration.checksum());
                    record.executeUpdate();
                }
                log.info("Applied warehouse migration V{} {}", migration.version(), migration.description());
                appliedNow.add(migration);
            }
            return appliedNow;
        } catch (SQLException e) {
            throw new IllegalStateException("warehouse migrations failed: " + e.getMessage(), e);
        }
    }

    public static List<Migration> discover() {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources(LOCATION);
            List<Migration> migrations = new ArrayList<>();
            for (Resource resource : resources) {
                Matcher m = NAME.matcher(resource.getFilename());
                if (!m.matches()) {
                    throw new IllegalStateException("badly named warehouse migration: " + resource.getFilename());
                }
                String sql = resource.getContentAsString(StandardCharsets.UTF_8);
                migrations.add(new Migration(Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '), sql,
                        sha256(sql)));
            }
            migrations.sort(Comparator.comparingInt(Migration::version));
            for (int i = 1; i < migrations.size(); i++) {
                if (migrations.get(i).version() == migrations.get(i - 1).version()) {
                    throw new IllegalStateException("two warehouse migrations share version V"
                            + migrations.get(i).version());
                }
            }
            return migrations;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read warehouse migrations", e);
        }
    }

    /** Splits a script into statements at {@code ;} ending a line; {@code --} comment lines are dropped. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "SchemaMigrator" + Arrays.asList(endpoint);
    }
}
