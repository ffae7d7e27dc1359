package io.refinery.warehouse;

import io.refinery.warehouse.embedded.StandaloneWarehouse;
import io.refinery.warehouse.test.WarehouseTest;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Server mode: the contract suite against a warehouse in another process, reached only through
 * {@code refinery.warehouse.url}. The server is the embedded engine served by {@link StandaloneWarehouse},
 * so this runs everywhere; {@link ServerWarehouseContractTest} covers a real ClickHouse server.
 */
@WarehouseTest
class StandaloneServerContractTest extends WarehouseContractSuite {

    static final String PASSWORD = UUID.randomUUID().toString();
    static Process server;
    static String url;

    @DynamicPropertySource
    static void warehouse(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("refinery-standalone");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                StandaloneWarehouse.class.getName(), dir.toString(), "0")).redirectErrorStream(true);
        builder.environment().put("REFINERY_WAREHOUSE_PASSWORD", PASSWORD);
        server = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream()));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("READY ")) {
                url = line.substring("READY ".length());
                break;
            }
        }
        if (url == null) {
            throw new IllegalStateException("the standalone warehouse did not start");
        }
        Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> { })); // keep its pipe drained
        registry.add("refinery.warehouse.url", () -> url);
        registry.add("refinery.warehouse.user", () -> "refinery");
        registry.add("refinery.warehouse.password", () -> PASSWORD);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.destroy();
        }
    }
}
