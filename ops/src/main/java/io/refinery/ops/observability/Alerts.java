package io.refinery.ops.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-app mirror of the Prometheus alert rules: the same rule file, evaluated against the
 * current gauge values of this process. An alert is listed while its expression holds; {@code since}
 * is when this process first saw it hold (Prometheus additionally waits the rule's {@code for}).
 */
@Component
public class Alerts {

    /** One firing alert, one per rule and label set; this JSON shape is what the dashboard banner reads. */
    public record Alert(String id, String rule, String severity, String message, Instant since, double value,
                        double threshold) {
    }

    private final MeterRegistry registry;
    private final PipelineMetrics metrics;
    private final ObservabilityProperties properties;
    private final List<AlertRules.Rule> rules;
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

    Alerts(ObjectProvider<MeterRegistry> registry, PipelineMetrics metrics, ObservabilityProperties properties,
           ResourceLoader resources) {
        this.registry = registry.getIfAvailable(SimpleMeterRegistry::new);
        this.metrics = metrics;
        this.properties = properties;
        try (InputStream in = resources.getResource(properties.alertRules()).getInputStream()) {
            this.rules = AlertRules.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("alert rules " + properties.alertRules() + " unreadable: " + e.getMessage(), e);
        }
    }

    public List<AlertRules.Rule> rules() {
        return rules;
    }

    /** The alerts that hold now, most severe first; the gauges are at most one refresh interval old. */
    public List<Alert> current() {
        metrics.snapshot(properties.refresh());
        List<Alert> firing = new ArrayList<>();
        Instant now = Instant.now();
        var seenNow = new java.util.HashSet<String>();
        for (AlertRules.Rule rule : rules) {
            for (Meter meter : registry.getMeters()) {
                if (!(meter instanceof Gauge gauge) || !prometheusName(meter).equals(rule.metric())) {
                    continue;
                }
                Map<String, String> labels = new TreeMap<>();
                for (Tag tag : meter.getId().getTags()) {
                    labels.put(tag.getKey(), tag.getValue());
                }
                if (!labels.entrySet().containsAll(rule.selectors().entrySet())) {
                    continue;
                }
                double value = gauge.value();
                if (Double.isNaN(value) || !rule.holds(value)) {
                    continue;
                }
                String id = rule.alert() + (labels.isEmpty() ? "" : ":" + String.join(",",
                        labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
                seenNow.add(id);
                Instant since = firstSeen.computeIfAbsent(id, k -> now);
                firing.add(new Alert(id, rule.alert(), rule.severity(), message(rule.summary(), labels, value), since,
                        value, rule.threshold()));
            }
        }
        firstSeen.keySet().retainAll(seenNow);
        firing.sort(Comparator.comparing((Alert a) -> !"critical".equals(a.severity())).thenComparing(Alert::since)
                .thenComparing(Alert::id));
        return firing;
    }

    /** Micrometer gauge name as /actuator/prometheus shows it (our gauges carry no base unit). */
    static String prometheusName(Meter meter) {
        String name = meter.getId().getName().replace('.', '_');
        String unit = meter.getId().getBaseUnit();
        return unit == null || name.endsWith("_" + unit) ? name : name + "_" + unit;
    }

    /** Prometheus's template subset the summaries use: {{ $labels.x }} and {{ $value }}. */
    private static String message(String template, Map<String, String> labels, double value) {
        String text = template;
        for (var label : labels.entrySet()) {
            text = text.replaceAll("\\{\\{\\s*\\$labels\\." + label.getKey() + "\\s*}}",
                    java.util.regex.Matcher.quoteReplacement(label.getValue()));
        }
        String shown = value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(java.util.Locale.ROOT, "%.3g", value);
        return text.replaceAll("\\{\\{\\s*\\$value\\s*}}", shown);
    }
}
