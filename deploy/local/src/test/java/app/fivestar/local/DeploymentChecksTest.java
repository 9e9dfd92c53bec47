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
    /** What every service needs in prod: the same list the production-settings check starts them without. */
    static final Set<String> COMMON = Set.copyOf(ProductionSettingsTest.PLATFORM);
    static final Map<String, Set<String>> REQUIRED = Map.of(
            "task-service", union(COMMON, Set.of("FIVESTAR_OVERDUE_DISTRICT_SECRETARY")),
            "review-service", COMMON,
            "notification-service", union(COMMON, Set.of("QUARKUS_MAILER_HOST", "QUARKUS_MAILER_PORT", "QUARKUS_MAILER_FROM",
                    "QUARKUS_MAILER_USERNAME", "QUARKUS_MAILER_PASSWORD", "FIVESTAR_LINKS_BASE_URL")),
            "web", Set.of("QUARKUS_OIDC_AUTH_SERVER_URL", "QUARKUS_OIDC_TOKEN_ISSUER", "QUARKUS_OIDC_CREDENTIALS_SECRET",
                    "FIVESTAR_UPSTREAMS_TASK_SERVICE", "FIVESTAR_UPSTREAMS_REVIEW_SERVICE", "FIVESTAR_UPSTREAMS_NOTIFICATION_SERVICE"));
    /** The deployments that keep a database. */
    static final Set<String> WITH_DATABASE = Set.of("task-service", "review-service", "notification-service");
    /** What a service's JVM needs beside its heap: metaspace, code cache, thread stacks, Netty's direct buffers. */
    static final long NON_HEAP_BUDGET = 320L << 20;
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Deployment", Deployment.class,
            "Service", io.fabric8.kubernetes.api.model.Service.class,
            "ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class,
            "Secret", io.fabric8.kubernetes.api.model.Secret.class,
            "Namespace", io.fabric8.kubernetes.api.model.Namespace.class,
            "PodDisruptionBudget", PodDisruptionBudget.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "Ingress", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class);

    final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    @Test
    void everyManifestParsesStrictlyIntoTheTypedModel() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROOT.resolve("deploy/k8s"))) {
            // infrastructure/ holds operators' custom resources (Strimzi, CloudNativePG): checked by infrastructureIsCode
            files = walk.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml")
                    && !p.toString().contains("/infrastructure/")).toList();
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
        // people and API clients reach the front door through the Ingress, at one origin
        var ingress = resources.stream().filter(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class::cast).findFirst().orElseThrow();
        var backends = ingress.getSpec().getRules().stream().flatMap(r -> r.getHttp().getPaths().stream()).toList();
        assertEquals(List.of("/"), backends.stream().map(p -> p.getPath()).toList());
        assertEquals("web", backends.get(0).getBackend().getService().getName());
        assertEquals(Set.of("task-service", "notification-service"), kinds(resources, HorizontalPodAutoscaler.class));
        // every configMap / secret key a Deployment refers to exists
        Map<String, Set<String>> keys = new java.util.HashMap<>();
        resources.stream().filter(r -> r instanceof io.fabric8.kubernetes.api.model.ConfigMap).map(io.fabric8.kubernetes.api.model.ConfigMap.class::cast)
                .forEach(cm -> keys.put(cm.getMetadata().getName(), cm.getData().keySet()));
        // the Secrets are made by the operator from the template, never applied by kustomize
        parse(Files.readString(ROOT.resolve("deploy/k8s/secret.example.yaml"))).stream().map(io.fabric8.kubernetes.api.model.Secret.class::cast)
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
            assertEquals("service_healthy", service.path("depends_on").path("postgres").path("condition").asText(), entry.getKey());
            assertEquals("service_healthy", service.path("depends_on").path("kafka").path("condition").asText());
        }
        assertTrue(services.path("kafka").path("image").asText().startsWith("apache/kafka:"));
        assertTrue(Files.exists(ROOT.resolve("deploy/compose/postgres-init/01-databases.sh")));

        // sign-in: the pinned Keycloak of the build, its public address the issuer every service expects, discovery
        // through the compose network, the realm of the demo directory imported
        JsonNode keycloak = services.path("keycloak");
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String version = pom.replaceAll("(?s).*<keycloak.version>([^<]+)</keycloak.version>.*", "$1");
        assertEquals("fivestar/keycloak:" + version, keycloak.path("image").asText(), "compose runs the Keycloak the tests run");
        assertEquals(version, keycloak.path("build").path("args").path("KEYCLOAK_VERSION").asText());
        String publicUrl = keycloak.path("environment").path("KC_HOSTNAME").asText();
        assertTrue(publicUrl.startsWith("http"), "Keycloak's public hostname is set: " + publicUrl);
        assertEquals("true", keycloak.path("environment").path("KC_HOSTNAME_BACKCHANNEL_DYNAMIC").asText());
        assertTrue(keycloak.path("command").toString().contains("--optimized") && keycloak.path("command").toString().contains("--import-realm"));
        assertTrue(keycloak.path("volumes").toString().contains("task-service/target/keycloak/fivestar-realm.json"));
        for (String name : REQUIRED.keySet()) {
            JsonNode env = services.path(name).path("environment");
            assertEquals(publicUrl + "/realms/fivestar", env.path("QUARKUS_OIDC_TOKEN_ISSUER").asText(), name + " expects the issuer browsers see");
            assertEquals("http://keycloak:8080/realms/fivestar", env.path("QUARKUS_OIDC_AUTH_SERVER_URL").asText(), name + " discovers in-network");
            if (WITH_DATABASE.contains(name)) {
                assertEquals("fivestar-api", env.path("QUARKUS_OIDC_TOKEN_AUDIENCE").asText());
            }
        }
        // the front door's client secret is the one the realm gives its client
        assertEquals(keycloak.path("environment").path("FIVESTAR_WEB_CLIENT_SECRET").asText(),
                services.path("web").path("environment").path("QUARKUS_OIDC_CREDENTIALS_SECRET").asText());
        for (String s : REQUIRED.keySet()) {
            String dockerfile = Files.readString(ROOT.resolve(s).resolve("src/main/docker/Dockerfile.jvm"));
            assertTrue(dockerfile.contains("USER 185") && dockerfile.contains("HEALTHCHECK") && dockerfile.contains("quarkus-app"), s);
        }
    }

    @Test
    void theSecretTemplateIsNeverApplied() throws Exception {
        List<HasMetadata> rendered = parse(run(List.of("kubectl", "kustomize", ROOT.resolve("deploy/k8s/overlays/production").toString())));
        assertEquals(Set.of(), kinds(rendered, io.fabric8.kubernetes.api.model.Secret.class), "kubectl apply -k would overwrite the real Secret");
        assertTrue(Files.readString(ROOT.resolve("deploy/k8s/secret.example.yaml")).contains("kubectl -n fivestar-production create secret"));
    }

    @Test
    void heapAndItsNonHeapBudgetFitTheMemoryLimit() throws Exception {
        List<HasMetadata> rendered = parse(run(List.of("kubectl", "kustomize", ROOT.resolve("deploy/k8s/overlays/production").toString())));
        JsonNode compose = composeConfig().path("services");
        for (String name : REQUIRED.keySet()) {
            String dockerfile = Files.readString(ROOT.resolve(name).resolve("src/main/docker/Dockerfile.jvm"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(dockerfile);
            assertTrue(m.find(), name + " sets its heap as a share of the container's memory");
            double share = Double.parseDouble(m.group(1)) / 100;
            Container c = deployment(rendered, name).getSpec().getTemplate().getSpec().getContainers().get(0);
            long limit = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue();
            assertEquals(limit, Quantity.getAmountInBytes(c.getResources().getRequests().get("memory")).longValue(), name + ": memory request = limit");
            assertTrue(share * limit + NON_HEAP_BUDGET <= limit, name + ": heap " + ((long) (share * limit) >> 20) + " MiB + non-heap "
                    + (NON_HEAP_BUDGET >> 20) + " MiB > limit " + (limit >> 20) + " MiB (Kubernetes)");
            long composeLimit = bytes(compose.path(name).path("mem_limit").asText());
            assertTrue(share * composeLimit + NON_HEAP_BUDGET <= composeLimit, name + ": heap + non-heap > mem_limit (compose)");
        }
        // the broker: its heap, the health check's JVM, and ~256 MiB for the broker's own non-heap and page cache
        JsonNode kafka = compose.path("kafka");
        long brokerHeap = xmx(kafka.path("environment").path("KAFKA_HEAP_OPTS").asText());
        String check = kafka.path("healthcheck").path("test").toString();
        assertTrue(check.contains("KAFKA_HEAP_OPTS=-Xmx"), "the health check's JVM gets its own small heap, not the broker's");
        long checkHeap = xmx(check.replaceAll(".*KAFKA_HEAP_OPTS=(-Xmx[0-9]+[mMgG]).*", "$1"));
        assertTrue(brokerHeap + checkHeap + (256L << 20) <= bytes(kafka.path("mem_limit").asText()), "kafka fits its mem_limit");
    }

    @Test
    void theBenchmarksRunTheServicesAsTheirPodsDo() throws Exception {
        List<HasMetadata> rendered = parse(run(List.of("kubectl", "kustomize", ROOT.resolve("deploy/k8s/overlays/production").toString())));
        List<String> jvm = List.of(ServiceProcess.PRODUCTION_JVM.split("\\s+"));
        for (String name : WITH_DATABASE) {
            String dockerfile = Files.readString(ROOT.resolve(name).resolve("src/main/docker/Dockerfile.jvm"));
            java.util.regex.Matcher share = java.util.regex.Pattern.compile("(-XX:MaxRAMPercentage=[0-9.]+)").matcher(dockerfile);
            java.util.regex.Matcher gc = java.util.regex.Pattern.compile("GC_CONTAINER_OPTIONS=\"([^\"]+)\"").matcher(dockerfile);
            assertTrue(share.find() && gc.find(), name + " names its heap share and its collector");
            Container c = deployment(rendered, name).getSpec().getTemplate().getSpec().getContainers().get(0);
            long limit = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue();
            java.util.regex.Matcher minFree = java.util.regex.Pattern.compile("GC_MIN_HEAP_FREE_RATIO=([0-9]+)").matcher(dockerfile);
            java.util.regex.Matcher maxFree = java.util.regex.Pattern.compile("GC_MAX_HEAP_FREE_RATIO=([0-9]+)").matcher(dockerfile);
            assertTrue(minFree.find() && maxFree.find(), name + " names its heap free ratios (the start script's own are 10-20 %)");
            assertTrue(jvm.contains(share.group(1)) && jvm.contains(gc.group(1)) && jvm.contains("-XX:MaxRAM=" + (limit >> 30) + "g")
                            && jvm.contains("-XX:MinHeapFreeRatio=" + minFree.group(1)) && jvm.contains("-XX:MaxHeapFreeRatio=" + maxFree.group(1)),
                    name + ": the benchmarks' JVM (" + ServiceProcess.PRODUCTION_JVM + ") is not the pod's");
        }
    }

    @Test
    void connectionsStayUnderPostgresMaxConnections() throws Exception {
        List<HasMetadata> rendered = parse(run(List.of("kubectl", "kustomize", ROOT.resolve("deploy/k8s/overlays/production").toString())));
        int pool = Integer.parseInt(rendered.stream().filter(io.fabric8.kubernetes.api.model.ConfigMap.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.ConfigMap.class::cast).findFirst().orElseThrow().getData().get("DB_POOL_MAX_SIZE"));
        int pods = 0;
        for (String name : WITH_DATABASE) {
            Deployment d = deployment(rendered, name);
            HorizontalPodAutoscaler hpa = rendered.stream().filter(HorizontalPodAutoscaler.class::isInstance).map(HorizontalPodAutoscaler.class::cast)
                    .filter(h -> h.getMetadata().getName().equals(name)).findFirst().orElse(null);
            int most = hpa != null ? hpa.getSpec().getMaxReplicas() : d.getSpec().getReplicas();
            pods += most + d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal();
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("QUARKUS_DATASOURCE_JDBC_MAX_SIZE")), name + " sizes its pool");
        }
        JsonNode cluster = yamlDocs(ROOT.resolve("deploy/k8s/infrastructure/postgres-cluster.yaml")).stream()
                .filter(d -> d.path("kind").asText().equals("Cluster")).findFirst().orElseThrow();
        int max = cluster.path("spec").path("postgresql").path("parameters").path("max_connections").asInt();
        int reserved = cluster.path("spec").path("postgresql").path("parameters").path("superuser_reserved_connections").asInt(3);
        int operators = 20; // psql sessions, backups, the operator's own
        assertTrue(pods * pool <= max - reserved - operators,
                pods + " pods × " + pool + " connections = " + pods * pool + " > " + (max - reserved - operators) + " available");
    }

    @Test
    void autoscaledDeploymentsHaveNoReplicaCountAndDisruptionsAreOneAtATime() throws Exception {
        List<HasMetadata> rendered = parse(run(List.of("kubectl", "kustomize", ROOT.resolve("deploy/k8s/overlays/production").toString())));
        for (String name : kinds(rendered, HorizontalPodAutoscaler.class)) {
            assertEquals(null, deployment(rendered, name).getSpec().getReplicas(), name + ": every apply would reset the autoscaler's count");
        }
        for (PodDisruptionBudget pdb : rendered.stream().filter(PodDisruptionBudget.class::isInstance).map(PodDisruptionBudget.class::cast).toList()) {
            assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal(), pdb.getMetadata().getName());
            assertEquals(null, pdb.getSpec().getMinAvailable(), pdb.getMetadata().getName());
        }
    }

    @Test
    void podsMeetTheRestrictedPodSecurityStandardAndDrainBeforeStopping() throws Exception {
        List<HasMetadata> rendered = parse(run(List.of("kubectl", "kustomize", ROOT.resolve("deploy/k8s/overlays/production").toString())));
        for (String name : REQUIRED.keySet()) {
            var pod = deployment(rendered, name).getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), name);
            assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), name);
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), name);
            assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), name);
            String tmpVolume = c.getVolumeMounts().stream().filter(v -> v.getMountPath().equals("/tmp")).findFirst().orElseThrow().getName();
            assertNotNull(pod.getVolumes().stream().filter(v -> v.getName().equals(tmpVolume)).findFirst().orElseThrow().getEmptyDir(), name);
            assertNotNull(c.getLifecycle().getPreStop().getExec(), name + " pauses before stopping so its endpoints drain");
            for (Probe p : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
                assertTrue(p.getTimeoutSeconds() != null && p.getTimeoutSeconds() >= 3, name + " probe timeout ≥ 3 s");
            }
        }
        String platform = Files.readString(ROOT.resolve("platform/src/main/resources/META-INF/microprofile-config.properties"));
        assertTrue(platform.contains("quarkus.kafka.health.enabled=false"), "a broker outage must not make every pod unready");
    }

    @Test
    void theComposeHostStartsOnlyWhenReadyAndFailsLoudly() throws Exception {
        String file = Files.readString(ROOT.resolve("deploy/compose/docker-compose.yml"));
        java.util.regex.Matcher vars = java.util.regex.Pattern.compile("\\$\\{([A-Z_]+)([^}]*)}").matcher(file);
        while (vars.find()) {
            assertTrue(vars.group(2).startsWith(":?") || vars.group(2).startsWith(":-"),
                    "${" + vars.group(1) + "} needs :? (required) or :- (a default)");
        }
        JsonNode services = composeConfig().path("services");
        String ready = services.path("postgres").path("healthcheck").path("test").toString();
        assertTrue(ready.contains("-h 127.0.0.1") && ready.contains("-d task"), "postgres is ready over TCP, with the databases made: " + ready);
        String init = Files.readString(ROOT.resolve("deploy/compose/postgres-init/01-databases.sh"));
        assertTrue(init.contains("<<'SQL'") && init.contains(":'task_pw'") && !init.contains("'${"), "passwords are psql variables, never pasted into SQL");
        for (String name : WITH_DATABASE) {   // the services export spans; the front door passes traceparent on
            String endpoint = services.path(name).path("environment").path("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").asText();
            String host = java.net.URI.create(endpoint).getHost();
            assertTrue(services.has(host), name + " exports spans to " + host + ", which compose does not run");
            assertTrue(Files.readString(ROOT.resolve(name).resolve(".dockerignore")).contains("!target/quarkus-app/"), name + " .dockerignore");
        }
    }

    @Test
    void infrastructureIsCode() throws Exception {
        List<JsonNode> topics = yamlDocs(ROOT.resolve("deploy/k8s/infrastructure/kafka-topics.yaml"));
        Set<String> names = new java.util.HashSet<>();
        for (JsonNode t : topics) {
            assertEquals("KafkaTopic", t.path("kind").asText());
            assertEquals(3, t.path("spec").path("replicas").asInt(), t.path("spec").path("topicName").asText());
            assertEquals(2, t.path("spec").path("config").path("min.insync.replicas").asInt());
            names.add(t.path("spec").path("topicName").asText());
        }
        Set<String> expected = new java.util.HashSet<>();
        for (String topic : List.of(app.fivestar.platform.events.Topics.TASK_EVENTS, app.fivestar.platform.events.Topics.DIRECTORY_EVENTS,
                app.fivestar.platform.events.Topics.REVIEW_EVENTS)) {
            expected.add(topic);
            expected.add(app.fivestar.platform.events.Topics.deadLetter(topic));
        }
        assertEquals(expected, names);
        List<JsonNode> pg = yamlDocs(ROOT.resolve("deploy/k8s/infrastructure/postgres-cluster.yaml"));
        Set<String> databases = new java.util.HashSet<>();
        for (JsonNode d : pg) {
            if (d.path("kind").asText().equals("Cluster")) {
                databases.add(d.path("spec").path("bootstrap").path("initdb").path("database").asText());
            } else if (d.path("kind").asText().equals("Database")) {
                databases.add(d.path("spec").path("name").asText());
                assertEquals(d.path("spec").path("name").asText(), d.path("spec").path("owner").asText(), "each database is owned by its service");
            }
        }
        assertEquals(Set.of("task", "review", "notification"), databases);
    }

    static Deployment deployment(List<HasMetadata> rendered, String name) {
        return rendered.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    static JsonNode composeConfig() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(run(List.of("docker-compose", "-f",
                ROOT.resolve("deploy/compose/docker-compose.yml").toString(), "config")));
    }

    static List<JsonNode> yamlDocs(Path file) throws IOException {
        try (YAMLParser parser = new YAMLFactory().createParser(Files.readString(file))) {
            return new ObjectMapper(new YAMLFactory()).readValues(parser, JsonNode.class).readAll().stream()
                    .filter(d -> d != null && !d.isEmpty()).toList();
        }
    }

    /** "1g", "768m", "1073741824" (what docker-compose config prints) in bytes. */
    static long bytes(String size) {
        String s = size.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = s.endsWith("g") ? 1L << 30 : s.endsWith("m") ? 1L << 20 : s.endsWith("k") ? 1L << 10 : 1;
        return (long) (Double.parseDouble(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit);
    }

    static long xmx(String opts) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-Xmx([0-9]+[mMgGkK])").matcher(opts);
        assertTrue(m.find(), "no -Xmx in " + opts);
        return bytes(m.group(1));
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
