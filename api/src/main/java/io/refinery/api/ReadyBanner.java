package io.refinery.api;

import io.refinery.warehouse.WarehouseEndpoint;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells the person who started Refinery where to find it. */
@Component
class ReadyBanner {

    private final WarehouseEndpoint warehouse;

    ReadyBanner(WarehouseEndpoint warehouse) {
        this.warehouse = warehouse;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : -1;
        String base = "http://localhost:" + port;
        System.out.println("""
                [refinery] Refinery is up on %1$s
                [refinery]   dashboard      %1$s/
                [refinery]   health         %1$s/actuator/health
                [refinery]   API docs       %1$s/swagger-ui.html
                [refinery]   warehouse      %2$s (database %3$s)
                [refinery] Sign in with the users printed above (or REFINERY_ADMIN_PASSWORD for 'admin').""".formatted(
                base, warehouse.embedded() ? "embedded chDB in " + System.getProperty("refinery.warehouse.data-dir",
                        "the data directory") : warehouse.httpUrl(), warehouse.database()));
    }
}
