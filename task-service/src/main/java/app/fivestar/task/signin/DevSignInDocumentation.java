package app.fivestar.task.signin;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

import java.util.List;

/** Leaves the demo sign-in out of the OpenAPI document wherever it is switched off. */
@OpenApiFilter(OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class DevSignInDocumentation implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        boolean enabled = ConfigProvider.getConfig().getOptionalValue("fivestar.dev-tokens.enabled", Boolean.class).orElse(false);
        if (!enabled && openAPI.getPaths() != null) {
            List.copyOf(openAPI.getPaths().getPathItems().keySet()).stream()
                    .filter(path -> path.startsWith("/api/v1/dev/"))
                    .forEach(path -> openAPI.getPaths().removePathItem(path));
        }
    }
}
