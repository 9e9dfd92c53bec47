package app.fivestar.notification.routing;

import app.fivestar.platform.sql.TransactionCache;
import app.fivestar.platform.testing.PlatformTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the consumer's batch shares: a lookup is made once per transaction, null included, and again in the next one. */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class TransactionCacheTest {

    @Inject
    TransactionCache cache;

    @Test
    void aLookupIsMadeOncePerTransaction() {
        AtomicInteger loads = new AtomicInteger();
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals("v1", cache.get("r", "k", k -> "v" + loads.incrementAndGet()));
            assertEquals("v1", cache.get("r", "k", k -> "v" + loads.incrementAndGet()));
            assertNull(cache.get("r", "none", k -> { loads.incrementAndGet(); return null; }));
            assertNull(cache.get("r", "none", k -> { loads.incrementAndGet(); return null; }));
        });
        assertEquals(2, loads.get());
        QuarkusTransaction.requiringNew().run(() -> {
            cache.get("r", "k", k -> "before");
            cache.forgetAll(); // the transaction changed what the lookup reads
            assertEquals("after", cache.get("r", "k", k -> "after"));
        });
        QuarkusTransaction.requiringNew().run(() -> assertEquals("v3", cache.get("r", "k", k -> "v" + loads.incrementAndGet())));
        assertEquals("v4", cache.get("r", "k", k -> "v" + loads.incrementAndGet()), "without a transaction every call loads");
    }
}
