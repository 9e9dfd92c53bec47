package app.fivestar.task.signin;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.KeyFiles;
import app.fivestar.platform.security.TokenIssuer;
import app.fivestar.task.directory.Person;
import jakarta.annotation.security.PermitAll;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Demo sign-in of the local stack: a signed token for one of the demo people. It exists only where
 * {@code fivestar.dev-tokens.enabled} is true (the {@code local} and {@code test} profiles); everywhere else
 * both operations answer 404, as if they were not there.
 */
@Path("/api/v1/dev")
@Tag(name = "dev sign-in", description = "本地演示登录（仅本地环境）")
@Produces(MediaType.APPLICATION_JSON)
public class DevSignInResource {

    @ConfigProperty(name = "fivestar.dev-tokens.enabled")
    boolean enabled;

    @ConfigProperty(name = "fivestar.tokens.private-key")
    Optional<String> privateKeyFile;

    @ConfigProperty(name = "fivestar.tokens.issuer")
    String issuer;

    @POST
    @Path("token")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Sign in as a demo person (local stack only)",
            description = "Answers a bearer token for the demo person with that username, carrying their roles, group and town.")
    public IssuedToken token(@Valid @NotNull SignIn request) {
        TokenIssuer tokens = issuer();
        Person person = Person.byUsername(request.username())
                .orElseThrow(() -> Problems.notFound("no demo person is called " + request.username()));
        String token = tokens.issue(person.id, person.username, person.displayName, person.roleSet(), person.groupId,
                person.townId, Duration.ofHours(12));
        return new IssuedToken(token, DemoUser.of(person));
    }

    @GET
    @Path("users")
    @PermitAll
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The demo people (local stack only)")
    public List<DemoUser> users() {
        issuer();
        return Person.<Person>listAll(io.quarkus.panache.common.Sort.by("username")).stream().map(DemoUser::of).toList();
    }

    private TokenIssuer issuer() {
        if (!enabled || privateKeyFile.isEmpty()) {
            throw Problems.notFound("no such resource");
        }
        return new TokenIssuer(KeyFiles.readPrivateKey(java.nio.file.Path.of(privateKeyFile.get())), issuer);
    }

    public record SignIn(@NotBlank String username) {
    }

    public record IssuedToken(String token, DemoUser user) {
    }

    public record DemoUser(String username, String displayName, Set<String> roles, UUID groupId, UUID townId, UUID id) {
        static DemoUser of(Person p) {
            return new DemoUser(p.username, p.displayName, p.roleSet(), p.groupId, p.townId, p.id);
        }
    }
}
