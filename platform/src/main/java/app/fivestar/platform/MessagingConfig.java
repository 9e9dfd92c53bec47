package app.fivestar.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the event plumbing that every service shares. */
@ConfigMapping(prefix = "fivestar.messaging")
public interface MessagingConfig {

    /** CloudEvents {@code source} of the events this service publishes, e.g. {@code /task-service}. */
    String source();

    /** Consumer group, also the name under which the inbox records processed events. */
    String consumerGroup();

    /** Longest wait of the relay between two looks at the outbox when nothing woke it. */
    @WithDefault("1s")
    Duration relayPollInterval();

    @WithDefault("500")
    int relayBatchSize();

    /** How long published outbox rows are kept before they are pruned. */
    @WithDefault("PT24H")
    Duration outboxRetention();

    /** How often published outbox rows and old inbox ids are pruned. */
    @WithDefault("10m")
    Duration pruneInterval();

    /** How long processed event ids are remembered by the inbox. */
    @WithDefault("P30D")
    Duration inboxRetention();

    /** How long an Idempotency-Key's first answer is kept for retries; older records are pruned. */
    @WithDefault("P7D")
    Duration idempotencyRetention();

    /** Attempts at one record before it goes to the dead-letter topic. */
    @WithDefault("5")
    int maxAttempts();

    @WithDefault("200ms")
    Duration retryBackoff();

    /** Check every event against contracts/ before it is written to the outbox. */
    @WithDefault("true")
    boolean validateContracts();

    /** Start the relay and the consumer loop (off only in tests that drive them by hand). */
    @WithDefault("true")
    boolean enabled();

}
