package io.refinery.ops.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment artifacts cannot run here (no Docker, no cluster), so their structure is checked:
 * every manifest parses, carries the fields Kubernetes requires, and the pieces fit together
 * (selectors, ports, probes on the health groups, secret references, the HPA target), and every
 * setting the manifests pass is one the application actually reads.
 */
class DeployArtifactsTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final Path K8S = DEPLOY.resolve("k8s");
    private static final Path APPLICATION_YML = Path.of("../api/src/main/resources/application.yml");

    @Test
    void every_manifest_parses_and_has_api_version_kind_and_name() throws IOException {
        Map<String, Map<String, Object>> byKind = manifests();
        assertThat(byKind.keySet()).contains("Deployment", "Service", "HorizontalPodAutoscaler", "ConfigMap",
                "PodDisruptionBudget", "Kustomization");
        // kustomization lists exactly the manifests present (the secret example is deliberately not applied)
        List<String> resources = list(byKind.get("Kustomization"), "resources");
        try (Stream<Path> files = Files.list(K8S)) {
            assertThat(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml") && !n.equals("secret.example.yaml")))
                    .containsExactlyInAnyOrderElementsOf(resources);
        }
    }

    @Test
    void the_deployment_probes_the_health_groups_runs_as_non_root_with_requests_and_secrets_by_reference() throws IOException {
        Map<String, Map<String, Object>> byKind = manifests();
        Map<String, Object> deployment = byKind.get("Deployment");
        Map<String, Object> spec = map(deployment, "spec");
        Map<String, Object> podLabels = map(map(map(spec, "template"), "metadata"), "labels");
        assertThat(podLabels).containsAllEntriesOf(map(map(spec, "selector"), "matchLabels"));
        Map<String, Object> pod = map(map(spec, "template"), "spec");
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
        Map<String, Object> container = maps(pod, "containers").getFirst();
        assertThat((String) container.get("image")).isNotBlank();
        Map<String, Object> port = maps(container, "ports").getFirst();
        assertThat(port).containsEntry("name", "http").containsEntry("containerPort", 8080);
        assertThat(map(map(container, "livenessProbe"), "httpGet")).containsEntry("path", "/actuator/health/liveness")
                .containsEntry("port", "http");
        assertThat(map(map(container, "readinessProbe"), "httpGet")).containsEntry("path", "/actuator/health/readiness")
                .containsEntry("port", "http");
        assertThat(map(map(container, "resources"), "requests")).containsKeys("cpu", "memory");
        assertThat(map(map(container, "resources"), "limits")).containsKey("memory");

        Map<String, String> secretRefs = new HashMap<>();
        List<String> plainValues = new ArrayList<>();
        for (Map<String, Object> env : maps(container, "env")) {
            Object from = env.get("valueFrom");
            if (from instanceof Map<?, ?> f && f.get("secretKeyRef") instanceof Map<?, ?> ref) {
                secretRefs.put((String) env.get("name"), (String) ref.get("name"));
            } else if (env.containsKey("value")) {
                plainValues.add((String) env.get("name"));
            }
        }
        assertThat(secretRefs).containsKeys("REFINERY_WAREHOUSE_PASSWORD", "REFINERY_ADMIN_PASSWORD");
        assertThat(plainValues).noneMatch(n -> n.contains("PASSWORD") || n.contains("KEY"));
        Map<String, Object> config = byKind.get("ConfigMap");
        assertThat(map(maps(container, "envFrom").getFirst(), "configMapRef")).containsEntry("name", map(config, "metadata").get("name"));
        assertThat(map(config, "data").keySet()).noneMatch(k -> k.contains("PASSWORD") || k.contains("KEY"));
        assertThat(map(config, "data")).containsEntry("SERVER_PORT", "8080").containsKey("REFINERY_WAREHOUSE_URL");

        // every variable passed is one the application reads
        String application = Files.readString(APPLICATION_YML);
        Set<String> passed = new java.util.TreeSet<>(map(config, "data").keySet());
        passed.addAll(secretRefs.keySet());
        assertThat(passed).allSatisfy(name -> assertThat(application).as("application.yml reads %s", name)
                .contains("${" + name + ":"));
    }

    @Test
    void the_service_and_hpa_point_at_the_deployment() throws IOException {
        Map<String, Map<String, Object>> byKind = manifests();
        Map<String, Object> deployment = byKind.get("Deployment");
        Map<String, Object> podLabels = map(map(map(map(deployment, "spec"), "template"), "metadata"), "labels");
        Map<String, Object> service = map(byKind.get("Service"), "spec");
        assertThat(podLabels).containsAllEntriesOf(map(service, "selector"));
        assertThat(maps(service, "ports").getFirst()).containsEntry("targetPort", "http");
        Map<String, Object> hpa = map(byKind.get("HorizontalPodAutoscaler"), "spec");
        assertThat(byKind.get("HorizontalPodAutoscaler")).containsEntry("apiVersion", "autoscaling/v2");
        assertThat(map(hpa, "scaleTargetRef")).containsEntry("kind", "Deployment")
                .containsEntry("name", map(deployment, "metadata").get("name"));
        assertThat((Integer) hpa.get("minReplicas")).isGreaterThanOrEqualTo(2);
        assertThat((Integer) hpa.get("maxReplicas")).isGreaterThan((Integer) hpa.get("minReplicas"));
        assertThat(podLabels).containsAllEntriesOf(map(map(byKind.get("PodDisruptionBudget"), "spec"), "selector")
                .entrySet().stream().findFirst().map(e -> (Map<String, Object>) castMap(e.getValue())).orElseThrow());
    }

    @Test
    void the_dockerfile_is_multi_stage_on_temurin_25_and_runs_as_a_non_root_user() throws IOException {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        List<String> stages = new ArrayList<>();
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(dockerfile);
        while (from.find()) {
            stages.add(from.group(1));
        }
        assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
        assertThat(dockerfile).contains("ARG JAVA_VERSION=25");
        assertThat(stages.getLast()).isEqualTo("eclipse-temurin:${JAVA_VERSION}-jre");
        assertThat(stages.getFirst()).contains("eclipse-temurin-${JAVA_VERSION}");
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(dockerfile);
        assertThat(user.find()).isTrue();
        assertThat(user.group(1)).doesNotStartWith("root").doesNotStartWith("0");
        assertThat(dockerfile).contains("EXPOSE 8080", "--enable-native-access=ALL-UNNAMED");
        // the pinned chDB checksum is the one the application verifies
        assertThat(dockerfile).contains("CHDB_SHA256=" + pinnedChdbSha());
    }

    private static String pinnedChdbSha() throws IOException {
        String source = Files.readString(Path.of("../warehouse/src/main/java/io/refinery/warehouse/embedded/ChdbLibrary.java"));
        Matcher m = Pattern.compile("TARBALL_SHA256 = \"([0-9a-f]{64})\"").matcher(source);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Every document of every YAML file under k8s/ (bar the secret example), by kind; kinds are unique here. */
    private static Map<String, Map<String, Object>> manifests() throws IOException {
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
                    Map<String, Object> manifest = castMap(document);
                    assertThat(manifest).as(file.toString()).containsKeys("apiVersion", "kind");
                    if (file.getFileName().toString().equals("secret.example.yaml")) {
                        continue;
                    }
                    if (!"Kustomization".equals(manifest.get("kind"))) {
                        assertThat(map(manifest, "metadata").get("name")).as(file + " metadata.name").isNotNull();
                    }
                    assertThat(byKind.put((String) manifest.get("kind"), manifest)).as("one " + manifest.get("kind")).isNull();
                }
            }
        }
        return byKind;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return castMap(parent.get(key));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Map<String, Object> parent, String key) {
        assertThat(parent.get(key)).as(key).isInstanceOf(List.class);
        return (List<Map<String, Object>>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> parent, String key) {
        return (List<String>) parent.get(key);
    }
}
