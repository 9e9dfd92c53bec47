package app.fivestar.task.task;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** Which client made the current request: the X-Client header (e.g. "mobile/1.4 android") or the User-Agent. */
@ApplicationScoped
public class RequestClient {

    @Inject
    Instance<HttpServerRequest> request;

    public String describe() {
        try {
            HttpServerRequest r = request.get();
            String client = r.getHeader("X-Client");
            if (client == null) {
                client = r.getHeader("User-Agent");
            }
            return client == null ? null : client.length() > 200 ? client.substring(0, 200) : client;
        } catch (RuntimeException e) {
            return "event"; // not in an HTTP request: a consumer or a job
        }
    }
}
