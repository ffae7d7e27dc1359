package io.refinery.warehouse.lineage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lineage graph as nodes and directed edges. Edges point from a thing to what it was made from
 * ({@code derivedFrom}-style relations), so walking edges walks upstream.
 */
public record LineageGraph(List<Node> nodes, List<Edge> edges) {

    /**
     * @param id         stable within the graph, {@code type:...}
     * @param type       forecast, run, model, snapshot, served-rows, cleaned-rows, raw-batch, route
     * @param properties what identifies the node and what was read
     */
    public record Node(String id, String type, String label, Map<String, Object> properties) {
    }

    public record Edge(String from, String to, String relation) {
    }

    /** Collects nodes once each (by id) and edges once each. */
    static final class Builder {
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final List<Edge> edges = new ArrayList<>();

        Node node(String id, String type, String label, Map<String, Object> properties) {
            return nodes.computeIfAbsent(id, k -> new Node(id, type, label, properties));
        }

        boolean has(String id) {
            return nodes.containsKey(id);
        }

        void edge(String from, String to, String relation) {
            Edge edge = new Edge(from, to, relation);
            if (!edges.contains(edge)) {
                edges.add(edge);
            }
        }

        LineageGraph build() {
            return new LineageGraph(List.copyOf(nodes.values()), List.copyOf(edges));
        }
    }

    /** Properties in insertion order, without nulls (ClickHouse answers null for absent optional facts). */
    static Map<String, Object> props(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                map.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return map;
    }
}
