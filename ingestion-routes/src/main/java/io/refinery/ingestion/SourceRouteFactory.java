package io.refinery.ingestion;

import org.apache.camel.builder.RouteBuilder;

import java.util.List;
import java.util.Map;

/**
 * One route kind: which options it accepts, how it checks them, the Camel route it builds, and
 * how it reads a sample for a dry run. Implemented once per kind (file drop, MQTT, JDBC, REST).
 */
public interface SourceRouteFactory {

    RouteKind kind();

    /** The option names this kind accepts; any other option is refused. */
    List<String> optionNames();

    /** Problems with the definition (unknown options, paths outside the roots, bad values); empty = ok. */
    List<String> validate(RouteDefinition definition);

    RouteBuilder routeBuilder(RouteDefinition definition);

    /** Connects to the source and reads up to {@code limit} records without landing them. */
    Sample sample(RouteDefinition definition, int limit) throws Exception;

    /** Records read from a source for a dry run. */
    record Sample(String from, List<Map<String, String>> records) {
    }
}
