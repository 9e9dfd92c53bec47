package app.fivestar.platform.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Validates events against the JSON Schemas in the contracts module
 * ({@code contracts/envelope.schema.json} and {@code contracts/events/<type>.schema.json}).
 */
public final class ContractValidator {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();
    /** Contract paths found shipped: looked up once (a class-path lookup per event cost more than the check itself). */
    private static final Set<String> SHIPPED = ConcurrentHashMap.newKeySet();

    private ContractValidator() {
    }

    /** The problems of an event against its contract; empty when it conforms. Unknown types are a problem. */
    public static List<String> problems(CloudEvent event) {
        return problems(EventCodec.tree(event));
    }

    /** The problems of an envelope as {@link EventCodec#tree} made it (what the outbox then writes). */
    public static List<String> problems(JsonNode envelope) {
        List<String> problems = new java.util.ArrayList<>(messages(schema("contracts/envelope.schema.json"), envelope));
        String type = envelope.path("type").asText();
        String dataSchema = "contracts/events/" + type + ".schema.json";
        if (shipped(dataSchema)) {
            problems.addAll(messages(schema(dataSchema), envelope.path("data")));
        } else {
            problems.add("no contract for event type " + type);
        }
        return problems;
    }

    private static boolean shipped(String path) {
        if (SHIPPED.contains(path)) {
            return true;
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        boolean found = ContractValidator.class.getClassLoader().getResource(path) != null || (context != null && context.getResource(path) != null);
        if (found) {
            SHIPPED.add(path); // a missing one is looked up again: only what exists is remembered, so the set stays small
        }
        return found;
    }

    /** Throws when the event breaks its contract. */
    public static void check(JsonNode envelope) {
        List<String> problems = problems(envelope);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("event " + envelope.path("type").asText() + " breaks its contract: " + problems);
        }
    }

    /** The {@code examples} a contract ships for a type: samples consumers must accept. */
    public static List<JsonNode> examples(String type) {
        JsonNode schemaJson = read("contracts/events/" + type + ".schema.json");
        JsonNode examples = schemaJson.path("examples");
        return StreamSupport.stream(examples.spliterator(), false).collect(Collectors.toList());
    }

    private static List<String> messages(JsonSchema schema, JsonNode node) {
        Set<ValidationMessage> result = schema.validate(node);
        return result.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.toList());
    }

    private static JsonSchema schema(String path) {
        return SCHEMAS.computeIfAbsent(path, p -> {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return FACTORY.getSchema(read(p), config);
        });
    }

    private static JsonNode read(String path) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        InputStream in = loader == null ? null : loader.getResourceAsStream(path);
        if (in == null) {
            in = ContractValidator.class.getClassLoader().getResourceAsStream(path);
        }
        if (in == null) {
            throw new IllegalArgumentException("no contract at " + path);
        }
        try (InputStream stream = in) {
            return EventCodec.mapper().readTree(stream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
