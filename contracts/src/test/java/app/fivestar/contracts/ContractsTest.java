package app.fivestar.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contracts agree with themselves: AsyncAPI names exactly the schemas there are, and every example is valid. */
class ContractsTest {

    static final Path DIR = Path.of("src/main/resources/contracts");
    final ObjectMapper json = new ObjectMapper();

    @Test
    void theAsyncApiDocumentListsEverySchemaAndNothingElse() throws IOException {
        JsonNode asyncapi = new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("asyncapi.yaml").toFile());
        assertEquals("3.0.0", asyncapi.path("asyncapi").asText());
        Set<String> named = new TreeSet<>();
        asyncapi.path("components").path("messages").forEach(m -> named.add(m.path("name").asText()));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(DIR.resolve("events"))) {
            files.forEach(f -> present.add(f.getFileName().toString().replace(".schema.json", "")));
        }
        assertEquals(present, named);
        asyncapi.path("components").path("messages").forEach(m ->
                assertTrue(Files.exists(DIR.resolve(m.path("payload").path("$ref").asText())), m.path("name").asText()));
        Set<String> topics = new TreeSet<>();
        asyncapi.path("channels").forEach(c -> topics.add(c.path("address").asText()));
        assertEquals(Set.of("task-events", "directory-events", "review-events"), topics);
    }

    @Test
    void everySchemaCarriesValidExamples() throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR.resolve("events"))) {
            for (Path file : files.toList()) {
                JsonNode schemaJson;
                try (InputStream in = Files.newInputStream(file)) {
                    schemaJson = json.readTree(in);
                }
                JsonSchema schema = factory.getSchema(schemaJson);
                assertFalse(schemaJson.path("examples").isEmpty(), file + " has no examples");
                assertEquals(file.getFileName().toString().replace(".schema.json", ""), schemaJson.path("title").asText());
                schemaJson.path("examples").forEach(example ->
                        schema.validate(example).forEach(m -> problems.add(file.getFileName() + ": " + m.getMessage())));
            }
        }
        assertEquals(List.of(), problems);
    }
}
