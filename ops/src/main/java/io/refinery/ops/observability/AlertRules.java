package io.refinery.ops.observability;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alert rules of a Prometheus rule file, in the subset both Prometheus and the app evaluate:
 * {@code metric{label="value",...} OP number}. A rule outside that subset is refused when the file
 * is read, so the in-app alerts never silently differ from Prometheus.
 */
public final class AlertRules {

    private static final Pattern EXPR = Pattern.compile(
            "^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{([^}]*)})?\\s*(>=|<=|==|!=|>|<)\\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)\\s*$");
    private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"([^\"]*)\"\\s*");

    /** One rule: the alert name, its gauge, label equalities, comparison, threshold, severity and summary. */
    public record Rule(String alert, String expr, String metric, Map<String, String> selectors, String op,
                       double threshold, String forDuration, String severity, String summary) {

        boolean holds(double value) {
            return switch (op) {
                case ">" -> value > threshold;
                case "<" -> value < threshold;
                case ">=" -> value >= threshold;
                case "<=" -> value <= threshold;
                case "==" -> value == threshold;
                default -> value != threshold;
            };
        }
    }

    private AlertRules() {
    }

    @SuppressWarnings("unchecked")
    public static List<Rule> parse(InputStream yaml) throws IOException {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        List<Rule> rules = new ArrayList<>();
        for (Object group : (List<Object>) ((Map<String, Object>) root).get("groups")) {
            for (Object item : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                Map<String, Object> r = (Map<String, Object>) item;
                String alert = (String) r.get("alert");
                if (alert == null) {
                    continue; // recording rules are Prometheus's business
                }
                String expr = String.valueOf(r.get("expr"));
                Matcher m = EXPR.matcher(expr);
                if (!m.matches()) {
                    throw new IOException("alert " + alert + ": expr '" + expr
                            + "' is not of the form gauge{label=\"value\"} OP number that the app can evaluate too");
                }
                Map<String, String> selectors = new LinkedHashMap<>();
                if (m.group(3) != null && !m.group(3).isBlank()) {
                    for (String part : m.group(3).split(",")) {
                        Matcher s = MATCHER.matcher(part);
                        if (!s.matches()) {
                            throw new IOException("alert " + alert + ": only label=\"value\" matchers are supported: " + part);
                        }
                        selectors.put(s.group(1), s.group(2));
                    }
                }
                Map<String, Object> labels = (Map<String, Object>) r.getOrDefault("labels", Map.of());
                Map<String, Object> annotations = (Map<String, Object>) r.getOrDefault("annotations", Map.of());
                rules.add(new Rule(alert, expr, m.group(1), Map.copyOf(selectors), m.group(4),
                        Double.parseDouble(m.group(5)), String.valueOf(r.getOrDefault("for", "0m")),
                        String.valueOf(labels.getOrDefault("severity", "warning")),
                        String.valueOf(annotations.getOrDefault("summary", alert))));
            }
        }
        return List.copyOf(rules);
    }
}
