package io.refinery.ops.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionConfiguration;
import io.refinery.ingestion.SourceKind;
import io.refinery.ops.OpsConfiguration;
import io.refinery.warehouse.WarehouseConfiguration;
import io.refinery.warehouse.test.TestWarehouseInitializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.LoggingSystem;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code REFINERY_LOG_FORMAT=json} (here as the property it binds to) turns the console into one
 * ECS JSON object per line, and the record path's lines carry the batch and route ids from the MDC.
 */
@SpringBootTest(classes = StructuredLogTest.App.class, properties = {"refinery.log-format=json",
        "refinery.demo.enabled=false", "refinery.ingestion.auto-start-routes=false"})
@ContextConfiguration(initializers = TestWarehouseInitializer.class)
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({WarehouseConfiguration.class, IngestionConfiguration.class, OpsConfiguration.class})
    static class App {
    }

    @Autowired
    Ingestion ingestion;

    /**
     * Spring Boot configures logging once per JVM and skips it for later contexts; other test classes
     * in this JVM have already configured the text format, so let this context configure it again
     * (and the next one after it).
     */
    @BeforeAll
    @AfterAll
    static void letTheNextContextConfigureLogging() {
        LoggingSystem.get(StructuredLogTest.class.getClassLoader()).cleanUp();
    }

    @Test
    void aJsonLogLineOfTheRecordPathCarriesTheBatchIdAndRoute(CapturedOutput output) throws Exception {
        String route = "json-log-" + System.nanoTime();
        var request = IngestRequest.of(Entity.PRODUCTS, route, SourceKind.UPLOAD, "log.csv");
        var records = List.of(Map.of("sku", "LOG-1", "name", "One", "unit", "EA"));
        IngestResult first = ingestion.ingest(request, records);
        // the same delivery again: the record path logs that it skips the batch
        ingestion.ingest(request, records);

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.getOut().split("\n")) {
            if (line.startsWith("{")) {
                lines.add(json.readTree(line));
            }
        }
        assertThat(lines).as("JSON lines on the console").isNotEmpty()
                .allSatisfy(l -> assertThat(l.has("@timestamp") && l.has("message")).isTrue());
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("batchId").asText()).isEqualTo(first.batchId().toString());
            assertThat(l.path("routeId").asText()).isEqualTo(route);
            assertThat(l.path("message").asText()).contains("processed before");
        });
    }
}
