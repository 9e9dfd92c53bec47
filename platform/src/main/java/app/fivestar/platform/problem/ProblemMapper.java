package app.fivestar.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.hibernate.StaleObjectStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The one place where failures become RFC 9457 problem details ({@code application/problem+json}).
 * Nothing here ever puts a stack trace in a response.
 */
public class ProblemMapper {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e, uri);
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        List<Map<String, String>> violations = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", fieldOf(v.getPropertyPath().toString()), "message", v.getMessage()))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .collect(Collectors.toList());
        return respond(new ProblemException(400, "validation", "请求内容不符合要求",
                violations.size() + " field(s) are invalid").with("violations", violations), uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return respond(bodyProblem(e), uri);
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return respond(bodyProblem(e), uri);
    }

    @ServerExceptionMapper
    public Response invalidJsonValue(InvalidFormatException e, UriInfo uri) {
        return respond(bodyProblem(e), uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    /**
     * The identity provider cannot be reached to verify a token (its keys not fetched yet): not the caller's fault and
     * not a sign-out either: 503, to be retried, so that a phone's queue keeps the change instead of asking to sign in.
     */
    @ServerExceptionMapper
    public Response identityProviderUnreachable(io.quarkus.oidc.OIDCException e, UriInfo uri) {
        LOG.warnf("the identity provider cannot be reached: %s", e.getMessage());
        return Response.fromResponse(respond(new ProblemException(503, "identity-provider-unavailable", "登录服务暂不可用",
                "the sign-in provider cannot be reached to verify the token; try again shortly"), uri)).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        io.quarkus.security.identity.SecurityIdentity identity = io.quarkus.arc.Arc.container()
                .instance(io.quarkus.security.identity.SecurityIdentity.class).get();
        if (identity != null && identity.getAttribute(app.fivestar.platform.security.PersonClaimCheck.UNKNOWN_PERSON) != null) {
            return respond(new ProblemException(403, "unknown-person", "不在人员名录中",
                    "you signed in, but this service's directory has no active person " + identity.getAttribute(
                            app.fivestar.platform.security.PersonClaimCheck.UNKNOWN_PERSON) + "; ask the campaign office to add you"), uri);
        }
        return respond(Problems.forbidden("your roles do not allow this operation"), uri);
    }

    @ServerExceptionMapper
    public Response staleObject(OptimisticLockException e, UriInfo uri) {
        return respond(Problems.conflict("the resource was changed concurrently; reload and try again"), uri);
    }

    @ServerExceptionMapper
    public Response staleState(StaleObjectStateException e, UriInfo uri) {
        return respond(Problems.conflict("the resource was changed concurrently; reload and try again"), uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status == 401) {
            return unauthenticated(uri);
        }
        String slug = switch (status) {
            case 400 -> "bad-request";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 412 -> "precondition-failed";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 422 -> "unprocessable";
            case 428 -> "precondition-required";
            default -> status >= 500 ? "internal" : "http-" + status;
        };
        String title = Response.Status.fromStatusCode(status) != null ? Response.Status.fromStatusCode(status).getReasonPhrase() : "HTTP " + status;
        if (status >= 500) {
            LOG.error("request failed", e);
            return respond(new ProblemException(status, slug, title, "the server could not complete the request"), uri);
        }
        return respond(new ProblemException(status, slug, title, e.getMessage()), uri);
    }

    /** A request body the server could not read to its end (a multipart upload cut short): the client's, not ours. */
    @ServerExceptionMapper
    public Response unreadableBody(java.io.IOException e, UriInfo uri) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("multipart") || message.contains("Connection terminated")) {
            return respond(new ProblemException(400, "malformed-body", "请求体无法解析",
                    "the request body ended before it was complete (an upload cut short?); send it again"), uri);
        }
        return unexpected(e, uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure, reference %s", reference);
        return respond(new ProblemException(500, "internal", "服务器内部错误",
                "the server could not complete the request; reference " + reference), uri);
    }

    private static ProblemException bodyProblem(JsonProcessingException e) {
        String where = e instanceof MismatchedInputException m && !m.getPath().isEmpty()
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining("."))
                : null;
        ProblemException p = new ProblemException(400, "malformed-body", "请求体无法解析",
                where == null ? "the request body is not valid JSON for this operation" : "field '" + where + "' has a wrong type or format");
        if (where != null) {
            p.with("violations", List.of(Map.of("field", where, "message", "wrong type or format")));
        }
        return p;
    }

    private static Response unauthenticated(UriInfo uri) {
        return Response.fromResponse(respond(new ProblemException(401, "unauthorized", "未登录或令牌无效",
                        "a valid bearer token is required"), uri))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** Builds the response for a problem; also used by filters that answer before a resource runs. */
    public static Response respond(ProblemException p, UriInfo uri) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", Problems.TYPE_BASE + p.type());
        body.put("title", p.title());
        body.put("status", p.status());
        if (p.detail() != null) {
            body.put("detail", p.detail());
        }
        if (uri != null) {
            body.put("instance", uri.getPath());
        }
        body.putAll(p.extensions());
        return Response.status(p.status()).type(MEDIA_TYPE).entity(body).build();
    }

    private static String fieldOf(String path) {
        // "create.arg0.title" → "title": drop the method and parameter segments of a method-validation path
        String[] parts = path.split("\\.");
        int start = 0;
        while (start < parts.length - 1 && (start == 0 || parts[start].startsWith("arg") || parts[start].equals("body") || parts[start].equals("request"))) {
            start++;
        }
        return String.join(".", java.util.Arrays.copyOfRange(parts, start, parts.length));
    }
}
