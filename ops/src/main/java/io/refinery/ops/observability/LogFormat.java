package io.refinery.ops.observability;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Locale;
import java.util.Map;

/**
 * {@code REFINERY_LOG_FORMAT} (property {@code refinery.log-format}) picks the console log format:
 * {@code json} (or {@code ecs}) writes one Elastic Common Schema JSON object per line, {@code logstash}
 * and {@code gelf} their formats; unset or {@code text} keeps the human format (ops/run's default).
 * The MDC ({@code batchId}, {@code routeId}, {@code runId}, {@code jobId}) goes into every JSON line.
 * Runs before the logging system starts, so the first line is already in the chosen format.
 */
public class LogFormat implements EnvironmentPostProcessor {

    static final String PROPERTY = "refinery.log-format";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty(PROPERTY, "").strip().toLowerCase(Locale.ROOT);
        String structured = switch (format) {
            case "json", "ecs" -> "ecs";
            case "logstash" -> "logstash";
            case "gelf" -> "gelf";
            case "", "text", "plain" -> null;
            default -> throw new IllegalArgumentException("REFINERY_LOG_FORMAT / refinery.log-format '" + format
                    + "' is not one of json, ecs, logstash, gelf, text");
        };
        if (structured != null && !environment.containsProperty("logging.structured.format.console")) {
            environment.getPropertySources().addFirst(new MapPropertySource("refinery-log-format",
                    Map.of("logging.structured.format.console", structured)));
        }
    }
}
