package io.refinery.ops.reliability;

import io.refinery.ingestion.IngestionConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** Ingestion as the application runs it (Spring Boot, Camel, the warehouse), without the web layer. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(IngestionConfiguration.class)
public class ReliabilityNodeApplication {
}
