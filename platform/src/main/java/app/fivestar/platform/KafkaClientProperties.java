package app.fivestar.platform;

import java.util.HashMap;
import java.util.Map;

/** The {@code kafka.*} configuration map minus Quarkus' own keys, as a start for a producer or consumer. */
public final class KafkaClientProperties {

    private KafkaClientProperties() {
    }

    public static Map<String, Object> from(Map<String, Object> kafkaConfig) {
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (!k.startsWith("health") && !k.startsWith("devservices") && !k.startsWith("snappy")) {
                props.put(k, v);
            }
        });
        return props;
    }
}
