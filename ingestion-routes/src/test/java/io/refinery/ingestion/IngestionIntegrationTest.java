package io.refinery.ingestion;

import io.refinery.warehouse.test.TestWarehouseInitializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test of the ingestion module on the real embedded warehouse, with Camel running. All tests
 * share one context (and database), so they use route ids and keys of their own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = IngestionTestApplication.class, properties = {
        "refinery.ingestion.allowed-roots=${java.io.tmpdir}",
        "refinery.ingestion.mqtt.max-delay=100ms",
        // the engine lane's blocks as small as a test's batch size, so that tests see several
        "refinery.ingestion.lane-block-rows=1",
        // and served refreshed during a file every two records, as a large file's is every ten million
        "refinery.ingestion.lane-refresh-records=2",
        "camel.main.name=refinery-ingestion-test"})
@ContextConfiguration(initializers = TestWarehouseInitializer.class)
public @interface IngestionIntegrationTest {
}
