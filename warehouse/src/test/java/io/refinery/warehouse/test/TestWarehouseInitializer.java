package io.refinery.warehouse.test;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Points a test context at the warehouse: the embedded engine in {@code target/warehouse-test}
 * (one per test JVM, as chDB allows one engine per process), or the server in
 * {@code REFINERY_TEST_WAREHOUSE_URL} when set. Each context gets a database of its own, so tests
 * never see each other's rows.
 */
public class TestWarehouseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static Path testDataDir() {
        return Path.of(System.getProperty("refinery.test.warehouse-dir", "target/warehouse-test"));
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        var environment = context.getEnvironment();
        Map<String, Object> properties = new HashMap<>();
        properties.put("refinery.warehouse.data-dir", testDataDir().toAbsolutePath().toString());
        if (!environment.containsProperty("refinery.warehouse.database")) {
            properties.put("refinery.warehouse.database", "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        }
        String serverUrl = System.getenv("REFINERY_TEST_WAREHOUSE_URL");
        if (serverUrl != null && !serverUrl.isBlank() && !environment.containsProperty("refinery.warehouse.url")) {
            properties.put("refinery.warehouse.url", serverUrl);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("test-warehouse", properties));
    }
}
