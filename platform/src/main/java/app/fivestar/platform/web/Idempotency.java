package app.fivestar.platform.web;

import app.fivestar.platform.problem.Problems;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Mobile-safe writes: the first answer to an {@code Idempotency-Key} is stored in the same transaction as the
 * change it made, and every retry with the same key and body gets that answer again without a second
 * change; the same key with another body is a 422 problem. Failed attempts leave no record (their
 * transaction rolled back), so a retry after an error runs again.
 */
@ApplicationScoped
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    private static final List<String> REPLAYED_HEADERS = List.of(HttpHeaders.LOCATION, HttpHeaders.ETAG);

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    /** Runs {@code action} unless this caller already sent {@code key}; {@code key} may be null when optional. */
    @Transactional(Transactional.TxType.REQUIRED)
    public Response once(String caller, String key, String operation, Object request, Supplier<Response> action) {
        if (key == null) {
            return action.get();
        }
        if (key.isBlank() || key.length() > 200) {
            throw Problems.badRequest("Idempotency-Key 须为 1 到 200 个字符");
        }
        String hash = hash(operation, request);
        int claimed = em.createNativeQuery("insert into idempotency_record (caller, idem_key, operation, request_hash, status, headers) "
                        + "values (?1, ?2, ?3, ?4, 0, '{}') on conflict do nothing")
                .setParameter(1, caller).setParameter(2, key).setParameter(3, operation).setParameter(4, hash)
                .executeUpdate();
        if (claimed == 0) {
            Object[] row = (Object[]) em.createNativeQuery("select operation, request_hash, status, headers, body from idempotency_record "
                            + "where caller = ?1 and idem_key = ?2")
                    .setParameter(1, caller).setParameter(2, key).getSingleResult();
            if (!operation.equals(row[0]) || !hash.equals(row[1])) {
                throw Problems.unprocessable("该 Idempotency-Key 已用于另一个不同的请求")
                        .with("idempotencyKey", key);
            }
            return replay(((Number) row[2]).intValue(), (String) row[3], (String) row[4]);
        }
        Response response = action.get();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : REPLAYED_HEADERS) {
            Object value = response.getHeaders().getFirst(name);
            if (value != null) {
                headers.put(name, value instanceof jakarta.ws.rs.core.EntityTag tag ? "\"" + tag.getValue() + "\"" : value.toString());
            }
        }
        em.createNativeQuery("update idempotency_record set status = ?1, headers = ?2, body = ?3 where caller = ?4 and idem_key = ?5")
                .setParameter(1, response.getStatus())
                .setParameter(2, write(headers))
                .setParameter(3, response.getEntity() == null ? null : write(response.getEntity()))
                .setParameter(4, caller).setParameter(5, key)
                .executeUpdate();
        return response;
    }

    private Response replay(int status, String headers, String body) {
        Response.ResponseBuilder builder = Response.status(status);
        try {
            json.readValue(headers, new TypeReference<Map<String, String>>() { }).forEach(builder::header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        builder.header("Idempotent-Replayed", "true");
        if (body != null) {
            builder.entity(body).type(MediaType.APPLICATION_JSON_TYPE);
        }
        return builder.build();
    }

    private String hash(String operation, Object request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(operation.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(write(request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
