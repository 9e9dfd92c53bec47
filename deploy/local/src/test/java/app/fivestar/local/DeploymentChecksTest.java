package app.fivestar.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks deploy/ without a container engine: every Kubernetes manifest parses into fabric8's typed model with no
 * unknown field, each Deployment has the three probes on the right paths, requests and limits, a pinned image and
 * every variable the service's prod configuration needs; the production overlay renders with kubectl kustomize;
 * the compose file validates with docker-compose and sets the same variables.
 */
class DeploymentChecksTest {

    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final Set<String> COMMON = Set.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
            "KAFKA_BOOTSTRAP_SERVERS", "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER");
    static final Map<String, Set<String>> REQUIRED = Map.of(
            "task-service", COMMON,
            "review-service", COMMON,
            "notification-service", union(COMMON, Set.of("QUARKUS_MAILER_HOST", "QUARKUS_MAILER_PORT", "QUARKUS_MAILER_FROM", "FIVESTAR_LINKS_BASE_URL")));
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Deployment", Deployment.class,
            "Service", io.fabric8.kubernetes.api.model.Service.class,
            "ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class,
            "Secret", io.fabric8.kubernetes.api.model.Secret.class,
            "Namespace", io.fabric8.kubernetes.api.model.Namespace.class,
            "PodDisruptionBudget", PodDisruptionBudget.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    @Test
    void everyManifestParsesStrictlyIntoTheTypedModel() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROOT.resolve("deploy/k8s"))) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml")).toList();
        }
        assertFalse(files.isEmpty());
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            for (HasMetadata r : parse(Files.readString(file))) {
                unknownFields(r, file.getFileName() + ":" + r.getKind() + "/" + r.getMetadata().getName(), problems, new IdentityHashMap<>());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theProductionOverlayRendersAndItsDeploymentsAreComplete() throws Exception {
        String rendered = run(List.of("kubectl", "kustomize", ROOT.resolve("deploy/k8s/overlays/production").toString()));
        List<HasMetadata> resources = parse(rendered);
        List<Deployment> deployments = resources.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();
        assertEquals(REQUIRED.keySet(), deployments.stream().map(d -> d.getMetadata().getName()).collect(Collectors.toSet()));
        for (Deployment d : deployments) {
            String name = d.getMetadata().getName();
            assertEquals("fivestar-production", d.getMetadata().getNamespace(), name);
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertTrue(c.getImage().matches(".+:[0-9][^:]*$") && !c.getImage().endsWith(":latest"), name + " pins its image: " + c.getImage());
            probe(c.getStartupProbe(), "/q/health/started", name);
            probe(c.getLivenessProbe(), "/q/health/live", name);
            probe(c.getReadinessProbe(), "/q/health/ready", name);
            for (String kind : List.of("cpu", "memory")) {
                Quantity request = c.getResources().getRequests().get(kind);
                Quantity limit = c.getResources().getLimits().get(kind);
                assertNotNull(request, name + " requests " + kind);
                assertNotNull(limit, name + " limits " + kind);
                assertTrue(Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(limit)) <= 0, name + " request ≤ limit");
            }
            Set<String> env = c.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
            assertTrue(env.containsAll(REQUIRED.get(name)), name + " misses " + missing(REQUIRED.get(name), env));
            assertTrue(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot(), name + " runs as non-root");
        }
        Set<String> pdbs = kinds(resources, PodDisruptionBudget.class);
        assertEquals(REQUIRED.keySet(), pdbs);
        assertEquals(Set.of("task-service", "notification-service"), kinds(resources, HorizontalPodAutoscaler.class));
        // every configMap / secret key a Deployment refers to exists
        Map<String, Set<String>> keys = new java.util.HashMap<>();
        resources.stream().filter(r -> r instanceof io.fabric8.kubernetes.api.model.ConfigMap).map(io.fabric8.kubernetes.api.model.ConfigMap.class::cast)
                .forEach(cm -> keys.put(cm.getMetadata().getName(), cm.getData().keySet()));
        resources.stream().filter(r -> r instanceof io.fabric8.kubernetes.api.model.Secret).map(io.fabric8.kubernetes.api.model.Secret.class::cast)
                .forEach(s -> keys.put(s.getMetadata().getName(), s.getStringData().keySet()));
        for (Deployment d : deployments) {
            for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
                if (e.getValueFrom() != null) {
                    var ref = e.getValueFrom().getConfigMapKeyRef() != null
                            ? Map.entry(e.getValueFrom().getConfigMapKeyRef().getName(), e.getValueFrom().getConfigMapKeyRef().getKey())
                            : Map.entry(e.getValueFrom().getSecretKeyRef().getName(), e.getValueFrom().getSecretKeyRef().getKey());
                    assertTrue(keys.getOrDefault(ref.getKey(), Set.of()).contains(ref.getValue()), e.getName() + " refers to a missing key " + ref);
                }
            }
        }
    }

    @Test
    void theComposeFileValidatesAndSetsWhatEachServiceNeedsInProd() throws Exception {
        String config = run(List.of("docker-compose", "-f", ROOT.resolve("deploy/compose/docker-compose.yml").toString(), "config"));
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(config).path("services");
        for (var entry : REQUIRED.entrySet()) {
            JsonNode service = services.path(entry.getKey());
            Set<String> env = new java.util.HashSet<>();
            service.path("environment").fieldNames().forEachRemaining(env::add);
            assertTrue(env.containsAll(entry.getValue()), entry.getKey() + " misses " + missing(entry.getValue(), env));
            for (String name : entry.getValue()) {
                assertFalse(service.path("environment").path(name).asText().isBlank(), entry.getKey() + " sets " + name);
            }
            assertTrue(service.path("healthcheck").has("test"), entry.getKey() + " is health-checked");
            assertTrue(service.has("cpus") && service.has("mem_limit"), entry.getKey() + " has limits");
            assertEquals("service_healthy", service.path("depends_on").path("postgres").path("condition").asText());
            assertEquals("service_healthy", service.path("depends_on").path("kafka").path("condition").asText());
        }
        assertTrue(services.path("kafka").path("image").asText().startsWith("apache/kafka:"));
        assertTrue(Files.exists(ROOT.resolve("deploy/compose/postgres-init/01-databases.sh")));
        for (String s : REQUIRED.keySet()) {
            String dockerfile = Files.readString(ROOT.resolve(s).resolve("src/main/docker/Dockerfile.jvm"));
            assertTrue(dockerfile.contains("USER 185") && dockerfile.contains("HEALTHCHECK") && dockerfile.contains("quarkus-app"), s);
        }
    }

    List<HasMetadata> parse(String text) throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(text)) {
            List<JsonNode> docs = yaml.readValues(parser, JsonNode.class).readAll();
            for (JsonNode doc : docs) {
                if (doc == null || doc.isEmpty()) {
                    continue;
                }
                Class<? extends HasMetadata> type = KINDS.get(doc.path("kind").asText());
                assertNotNull(type, "unexpected kind " + doc.path("kind").asText());
                out.add(yaml.treeToValue(doc, type));
            }
        }
        return out;
    }

    /** fabric8 keeps unknown fields in additionalProperties instead of failing: find any, anywhere. */
    static void unknownFields(Object o, String where, List<String> problems, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || seen.put(o, true) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            c.forEach(x -> unknownFields(x, where, problems, seen));
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.values().forEach(x -> unknownFields(x, where, problems, seen));
            return;
        }
        if (!(o instanceof KubernetesResource)) {
            return;
        }
        for (Method method : o.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || !method.getName().startsWith("get") || method.getName().equals("getClass")) {
                continue;
            }
            try {
                Object value = method.invoke(o);
                if (method.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        problems.add(where + ": unknown field(s) " + extra.keySet() + " in " + o.getClass().getSimpleName());
                    }
                } else {
                    unknownFields(value, where, problems, seen);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static void probe(Probe p, String path, String name) {
        assertNotNull(p, name + " probe " + path);
        assertEquals(path, p.getHttpGet().getPath(), name);
    }

    static Set<String> kinds(List<HasMetadata> resources, Class<?> type) {
        return resources.stream().filter(type::isInstance).map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
    }

    static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    static Set<String> missing(Set<String> required, Set<String> present) {
        return required.stream().filter(r -> !present.contains(r)).collect(Collectors.toSet());
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }
}
