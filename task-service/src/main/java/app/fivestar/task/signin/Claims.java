package app.fivestar.task.signin;

import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import app.fivestar.task.directory.Person;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How a person of the directory reaches an access token issued by Keycloak: the ids are user attributes of the
 * same names, copied into claims by protocol mappers; the roles are realm roles, copied into {@code groups}; the
 * audience {@code fivestar-api} is added for the services to check. The services read the claim names from
 * configuration ({@code fivestar.security.claims.*}), so another provider can be mapped to them.
 */
final class Claims {

    static final List<String> ROLES = Roles.ALL;
    static final List<String> ATTRIBUTES = List.of(Caller.PERSON_CLAIM, Caller.GROUP_CLAIM, Caller.TOWN_CLAIM);

    private Claims() {
    }

    static Map<String, List<String>> attributes(Person person) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        attributes.put(Caller.PERSON_CLAIM, List.of(person.id.toString()));
        put(attributes, Caller.GROUP_CLAIM, person.groupId);
        put(attributes, Caller.TOWN_CLAIM, person.townId);
        return attributes;
    }

    private static void put(Map<String, List<String>> attributes, String name, UUID value) {
        if (value != null) {
            attributes.put(name, List.of(value.toString()));
        }
    }

    static List<Map<String, Object>> mappers(String audience) {
        List<Map<String, Object>> mappers = new java.util.ArrayList<>();
        for (String attribute : ATTRIBUTES) {
            mappers.add(mapper(attribute, "oidc-usermodel-attribute-mapper", Map.of("user.attribute", attribute,
                    "claim.name", attribute, "jsonType.label", "String", "multivalued", "false")));
        }
        mappers.add(mapper("roles", "oidc-usermodel-realm-role-mapper", Map.of("claim.name", "groups",
                "jsonType.label", "String", "multivalued", "true")));
        mappers.add(mapper("audience", "oidc-audience-mapper", Map.of("included.custom.audience", audience)));
        return mappers;
    }

    private static Map<String, Object> mapper(String name, String type, Map<String, String> config) {
        Map<String, String> all = new LinkedHashMap<>(config);
        all.put("access.token.claim", "true");
        all.put("id.token.claim", "true");
        all.put("introspection.token.claim", "true");
        all.put("userinfo.token.claim", "false");
        Map<String, Object> mapper = new LinkedHashMap<>();
        mapper.put("name", name);
        mapper.put("protocol", "openid-connect");
        mapper.put("protocolMapper", type);
        mapper.put("config", all);
        return mapper;
    }
}
