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
                violations.size() + " 个字段不符合要求").with("violations", violations), uri);
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
                "暂时无法连接登录服务以核验令牌，请稍后重试"), uri)).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        io.quarkus.security.identity.SecurityIdentity identity = io.quarkus.arc.Arc.container()
                .instance(io.quarkus.security.identity.SecurityIdentity.class).get();
        if (identity != null && identity.getAttribute(app.fivestar.platform.security.PersonClaimCheck.UNKNOWN_PERSON) != null) {
            return respond(new ProblemException(403, "unknown-person", "不在人员名录中",
                    "您已登录，但本服务的人员名录中没有在职人员 " + identity.getAttribute(
                            app.fivestar.platform.security.PersonClaimCheck.UNKNOWN_PERSON) + "，请联系创建办将您加入名录"), uri);
        }
        return respond(Problems.forbidden("您的角色无权执行此操作"), uri);
    }

    @ServerExceptionMapper
    public Response staleObject(OptimisticLockException e, UriInfo uri) {
        return respond(Problems.conflict("数据已被他人同时修改，请刷新后重试"), uri);
    }

    @ServerExceptionMapper
    public Response staleState(StaleObjectStateException e, UriInfo uri) {
        return respond(Problems.conflict("数据已被他人同时修改，请刷新后重试"), uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof ProblemException p) {
            return respond(p, uri);
        }
        if (status == 401) {
            return unauthenticated(uri);
        }
        String[] words = switch (status) {
            case 400 -> new String[] {"bad-request", "请求无效", "请求无效，请检查参数"};
            case 403 -> new String[] {"forbidden", "无权操作", "您的角色无权执行此操作"};
            case 404 -> new String[] {"not-found", "未找到", "没有这个地址或资源"};
            case 405 -> new String[] {"method-not-allowed", "不支持的请求方法", "此地址不支持该请求方法"};
            case 406 -> new String[] {"not-acceptable", "无法提供所需格式", "无法按 Accept 请求头要求的格式作答"};
            case 409 -> new String[] {"conflict", "状态冲突", "与当前状态冲突"};
            case 412 -> new String[] {"precondition-failed", "数据已被他人修改", "数据在您读取后已被修改，请刷新后重试"};
            case 413 -> new String[] {"payload-too-large", "内容过大", "请求内容过大"};
            case 415 -> new String[] {"unsupported-media-type", "不支持的内容类型", "不支持此请求内容类型（Content-Type）"};
            case 422 -> new String[] {"unprocessable", "无法处理的请求", "请求内容无法处理"};
            case 428 -> new String[] {"precondition-required", "缺少前置条件", "此操作需要前置条件请求头"};
            default -> status >= 500 ? new String[] {"internal", "服务器内部错误", "服务器未能完成请求"}
                    : new String[] {"http-" + status, "请求未能完成", "请求未能完成（HTTP " + status + "）"};
        };
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        // the framework's own words (e.g. "HTTP 404 Not Found") are English: people read ours
        return respond(new ProblemException(status, words[0], words[1], words[2]), uri);
    }

    /** A request body the server could not read to its end (a multipart upload cut short): the client's, not ours. */
    @ServerExceptionMapper
    public Response unreadableBody(java.io.IOException e, UriInfo uri) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("multipart") || message.contains("Connection terminated")) {
            return respond(new ProblemException(400, "malformed-body", "请求体无法解析",
                    "请求体不完整（上传被中断？），请重新发送"), uri);
        }
        return unexpected(e, uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure, reference %s", reference);
        return respond(new ProblemException(500, "internal", "服务器内部错误",
                "服务器未能完成请求，查询编号 " + reference), uri);
    }

    private static ProblemException bodyProblem(JsonProcessingException e) {
        String where = e instanceof MismatchedInputException m && !m.getPath().isEmpty()
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining("."))
                : null;
        ProblemException p = new ProblemException(400, "malformed-body", "请求体无法解析",
                where == null ? "请求体不是本操作可接受的 JSON" : "字段 '" + where + "' 的类型或格式不正确");
        if (where != null) {
            p.with("violations", List.of(Map.of("field", where, "message", "类型或格式不正确")));
        }
        return p;
    }

    private static Response unauthenticated(UriInfo uri) {
        return Response.fromResponse(respond(new ProblemException(401, "unauthorized", "未登录或令牌无效",
                        "需要有效的登录令牌（Bearer token）"), uri))
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
