package io.refinery.warehouse;

import io.refinery.warehouse.test.WarehouseTest;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every migration has a cluster variant, and ClickHouse's own parser (formatQuery on the embedded
 * engine) accepts each of its statements: no plain MergeTree engine is left, every local table is
 * replicated with {shard}/{replica} macros and has a Distributed table of the original name, sharded
 * by a hash of its sorting key, and every statement runs ON CLUSTER.
 */
@WarehouseTest
class ClusterDdlTest {

    private static final Pattern CREATE = Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+) ON CLUSTER refinery");
    private static final Pattern ORDER_BY = Pattern.compile("ORDER BY\\s+(\\([^)]*\\)|\\w+)");

    @Autowired
    DSLContext dsl;

    @Test
    void every_migration_has_a_cluster_variant_that_clickhouse_parses_with_replicated_and_distributed_tables() {
        List<SchemaMigrator.Migration> migrations = SchemaMigrator.discover();
        assertThat(migrations).isNotEmpty();
        Map<String, String> localEngines = new HashMap<>();
        Map<String, String> distributed = new HashMap<>();
        Set<String> singleServerTables = new HashSet<>();
        List<String> failures = new ArrayList<>();
        for (SchemaMigrator.Migration migration : migrations) {
            for (String original : SchemaMigrator.statements(migration.sql())) {
                Matcher single = Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+)").matcher(original);
                if (single.find()) {
                    singleServerTables.add(single.group(1));
                }
            }
            for (String sql : SchemaMigrator.statementsFor(migration, "refinery")) {
                assertThat(sql).as("V%d runs on the cluster", migration.version()).contains(" ON CLUSTER refinery ");
                String parsed = parse(sql);
                if (parsed == null) {
                    failures.add("V" + migration.version() + " does not parse: " + sql);
                    continue;
                }
                Matcher create = CREATE.matcher(sql);
                if (create.find()) {
                    String engine = ClusterDdl.engineOf(sql);
                    if (engine.equals("Distributed")) {
                        distributed.put(create.group(1), sql);
                    } else {
                        localEngines.put(create.group(1), sql);
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(singleServerTables).isNotEmpty();
        for (String table : singleServerTables) {
            if (ClusterDdl.UNSHARDED.contains(table)) {
                // one replication group across every node, read and written under its own name
                assertThat(localEngines.get(table)).as("replicated control table %s", table)
                        .contains("'/clickhouse/tables/all/{database}/" + table + "', '{replica}'");
                assertThat(ClusterDdl.engineOf(localEngines.get(table))).startsWith("Replicated");
                assertThat(distributed).doesNotContainKey(table);
                continue;
            }
            String local = localEngines.get(table + ClusterDdl.LOCAL_SUFFIX);
            assertThat(local).as("local table of %s", table).isNotNull();
            assertThat(ClusterDdl.engineOf(local)).as(table).isIn("ReplicatedMergeTree", "ReplicatedReplacingMergeTree");
            assertThat(local).contains("'/clickhouse/tables/{shard}/{database}/" + table + "_local', '{replica}'");
            String dist = distributed.get(table);
            assertThat(dist).as("Distributed table %s", table).isNotNull()
                    .contains("Distributed(refinery, currentDatabase(), " + table + "_local, cityHash64(");
            // Same key, same shard: the hash covers the whole sorting key that deduplicates.
            Matcher orderBy = ORDER_BY.matcher(local);
            assertThat(orderBy.find()).isTrue();
            String key = orderBy.group(1).replaceAll("^\\(|\\)$", "");
            assertThat(dist).contains("cityHash64(" + key + ")");
        }
        assertThat(localEngines.keySet()).allMatch(t -> t.endsWith(ClusterDdl.LOCAL_SUFFIX) || ClusterDdl.UNSHARDED.contains(t));
        // Versioned tables keep their version column in the replicated engine.
        assertThat(localEngines.get("demand_daily_local")).contains("ReplicatedReplacingMergeTree("
                + "'/clickhouse/tables/{shard}/{database}/demand_daily_local', '{replica}', version)");
        assertThat(parse(ClusterDdl.migrationsTable("refinery"))).isNotNull();
        assertThat(parse("CREATE TABLE x ON CLUSTER refinery (a UInt8) ENGINE = (")).as("the parser check can fail").isNull();
    }

    @Test
    void alters_and_views_run_on_the_cluster_and_other_statements_are_refused() {
        assertThat(ClusterDdl.rewrite("ALTER TABLE suppliers ADD COLUMN IF NOT EXISTS contact_email String DEFAULT ''", "c1"))
                .containsExactly("ALTER TABLE suppliers_local ON CLUSTER c1 ADD COLUMN IF NOT EXISTS contact_email String DEFAULT ''",
                        "ALTER TABLE suppliers ON CLUSTER c1 ADD COLUMN IF NOT EXISTS contact_email String DEFAULT ''");
        assertThat(ClusterDdl.rewrite("ALTER TABLE raw_records MODIFY TTL received_at + INTERVAL 90 DAY", "c1"))
                .containsExactly("ALTER TABLE raw_records_local ON CLUSTER c1 MODIFY TTL received_at + INTERVAL 90 DAY");
        for (String sql : ClusterDdl.rewrite("ALTER TABLE suppliers ADD COLUMN IF NOT EXISTS contact_email String DEFAULT ''", "c1")) {
            assertThat(parse(sql)).as(sql).isNotNull();
        }
        assertThat(ClusterDdl.rewrite("ALTER TABLE ingest_routes ADD COLUMN IF NOT EXISTS owner String", "c1"))
                .containsExactly("ALTER TABLE ingest_routes ON CLUSTER c1 ADD COLUMN IF NOT EXISTS owner String");
        assertThatThrownBy(() -> ClusterDdl.rewrite("INSERT INTO products VALUES ('a')", "c1"))
                .hasMessageContaining("no cluster variant");
        assertThatThrownBy(() -> ClusterDdl.rewrite("CREATE VIEW v AS SELECT 1", "bad name;"))
                .hasMessageContaining("plain identifier");
    }

    /** ClickHouse's parser, without executing: null when the statement does not parse. */
    private String parse(String sql) {
        try {
            return dsl.resultQuery("SELECT formatQuery({0})", sql).fetchOne(0, String.class);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
