package io.refinery.ingestion;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The ingestion module as an application would run it: Spring Boot, Camel auto-configured. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(IngestionConfiguration.class)
public class IngestionTestApplication {
}
