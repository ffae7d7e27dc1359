package io.refinery.ingestion;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The error handling every ingestion route uses. Nothing is retried blindly here: the record path
 * is idempotent and each source kind re-delivers in its own way (file stays / moves to failed,
 * MQTT message stays unacknowledged, cursors stay put), so the exception is logged and left
 * unhandled for the consumer to apply that behaviour.
 */
@Component
public class IngestionErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "ingestion-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                .handled(false)
                .log(LoggingLevel.ERROR, "io.refinery.ingestion",
                        "Route ${routeId} failed on ${header.CamelFileName}${header.CamelMqttTopic}: ${exception.message}");
    }
}
