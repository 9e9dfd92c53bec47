package app.fivestar.platform.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.MDC;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

/**
 * How one trace follows a change across the services. A request's span (made by Quarkus) or a consumed event's span
 * (made here) is current while the outbox row is written; the row keeps its W3C {@code traceparent}; the relay sends it
 * as the Kafka record's {@code traceparent} header; the consumer continues the trace from that header, so whatever the
 * handler writes to its own outbox carries the same trace id on to the next service.
 */
@ApplicationScoped
public class Tracing {

    /** The W3C Trace Context header, on HTTP requests and on Kafka records alike. */
    public static final String TRACEPARENT = "traceparent";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Headers> KAFKA_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    @Inject
    Tracer tracer;

    /** The {@code traceparent} of the span running now, or null outside any trace. */
    public static String currentTraceparent() {
        if (!Span.current().getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(Context.current(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * Runs {@code work} in a consumer span that continues the trace of the record's {@code traceparent} header (a new
     * trace when it has none), with the trace and span ids in the logging context.
     */
    public void consuming(ConsumerRecord<String, byte[]> record, String eventId, String eventType, Runnable work) {
        Context parent = W3C.extract(Context.root(), record.headers(), KAFKA_HEADERS);
        Span span = tracer.spanBuilder(record.topic() + " process")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.kafka.destination.partition", (long) record.partition())
                .setAttribute("messaging.kafka.message.offset", record.offset())
                .setAttribute("messaging.message.id", eventId)
                .setAttribute("cloudevents.event_type", eventType)
                .startSpan();
        within(span, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs a background job (a scheduled scan, say) as a trace of its own, so everything one run publishes shares a
     * trace id; answers what the job answers.
     */
    public <T> T job(String name, Supplier<T> work) {
        return within(tracer.spanBuilder(name).setNoParent().setSpanKind(SpanKind.INTERNAL).startSpan(), work);
    }

    private static <T> T within(Span span, Supplier<T> work) {
        Object outerTrace = MDC.get("traceId");
        Object outerSpan = MDC.get("spanId");
        try (Scope ignored = span.makeCurrent()) {
            MDC.put("traceId", span.getSpanContext().getTraceId());
            MDC.put("spanId", span.getSpanContext().getSpanId());
            return work.get();
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
            restore("traceId", outerTrace);
            restore("spanId", outerSpan);
        }
    }

    private static void restore(String key, Object outer) {
        if (outer == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, outer);
        }
    }
}
