package io.refinery.api;

import io.refinery.warehouse.test.TestWarehouseInitializer;
import org.springframework.boot.test.autoconfigure.web.reactive.AutoConfigureWebTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The whole application on a random port, on the real embedded warehouse in a database of its own.
 * All tests with this annotation share one context (and database): they create their own rows
 * with unique codes, so they do not see each other's data.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = RefineryApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "refinery.demo.enabled=false",
        "refinery.security.demo=false",
        "refinery.security.admin-password=" + TestUsers.ADMIN_PASSWORD,
        "refinery.api.odata.page-size=7",
        "refinery.api.stream.poll-interval=300ms",
        "refinery.api.stream.heartbeat=1s",
        "refinery.ingestion.auto-start-routes=false",
        // Tests share one database and craft data of any date: scheduled quality runs would gate their forecasts at random.
        "refinery.quality.interval=0s", "refinery.quality.gate-forecasts=false",
        "spring.codec.max-in-memory-size=64KB"})
@ContextConfiguration(initializers = TestWarehouseInitializer.class)
// The machine is shared with other builds: give slow first calls (OpenAPI generation) time.
@AutoConfigureWebTestClient(timeout = "60s")
public @interface ApiTest {
}
