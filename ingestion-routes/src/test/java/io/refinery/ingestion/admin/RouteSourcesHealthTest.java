package io.refinery.ingestion.admin;

import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestionIntegrationTest;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness counts the sources of the routes that should run: an active JDBC route whose database
 * does not answer makes {@code routeSources} DOWN and says which route and why; a stopped route
 * does not count; an active file-drop route with a readable inbox is reachable.
 */
@IngestionIntegrationTest
class RouteSourcesHealthTest {

    @Autowired
    RouteAdmin admin;
    @Autowired
    RouteSourcesHealthIndicator indicator;

    @Test
    void anActiveRouteWhoseSourceDoesNotAnswerMakesTheSourcesDownAndAStoppedOneDoesNotCount() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        String jdbcRoute = "health-jdbc-" + System.nanoTime();
        String fileRoute = "health-file-" + System.nanoTime();
        admin.create(new RouteDefinition(jdbcRoute, RouteKind.JDBC, Entity.RECEIPTS, DriftPolicy.ACCEPT_AND_FLAG,
                Map.of("jdbcUrl", "jdbc:postgresql://127.0.0.1:" + closedPort + "/erp", "username", "erp",
                        "table", "receipts", "cursorColumn", "id", "cursorType", "number")), "test");
        admin.create(new RouteDefinition(fileRoute, RouteKind.FILE_DROP, Entity.PRODUCTS, DriftPolicy.ACCEPT_AND_FLAG,
                Map.of("inbox", RouteAdminTest.inbox().toString())), "test");
        try {
            indicator.forget();
            assertThat(health().getDetails()).as("stopped routes do not count").doesNotContainKeys(jdbcRoute, fileRoute);

            admin.start(jdbcRoute, "test");
            admin.start(fileRoute, "test");
            indicator.forget();
            Health down = health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get(jdbcRoute)).asString().startsWith("unreachable:");
            assertThat(down.getDetails().get(fileRoute)).isEqualTo("reachable");

            admin.stop(jdbcRoute, "test");
            indicator.forget();
            assertThat(health().getDetails()).doesNotContainKey(jdbcRoute).containsEntry(fileRoute, "reachable");
        } finally {
            admin.delete(jdbcRoute, "test");
            admin.delete(fileRoute, "test");
        }
    }

    private Health health() {
        return indicator.health();
    }
}
