package app.fivestar.platform.web;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.time.Duration;

/** What every server-sent event stream of the services shares. */
public final class EventStreams {

    /** How often a quiet stream says it is alive. */
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private EventStreams() {
    }

    /**
     * {@code events} with a comment at once (the response's headers go out: a browser's EventSource and any proxy see
     * the stream open before the first event) and every {@link #KEEP_ALIVE} after (proxies do not cut a quiet stream).
     * EventSource ignores comments.
     */
    public static Multi<OutboundSseEvent> withKeepAlive(Multi<OutboundSseEvent> events, Sse sse) {
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(KEEP_ALIVE)
                .onOverflow().drop().map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(keepAlive, events);
    }
}
