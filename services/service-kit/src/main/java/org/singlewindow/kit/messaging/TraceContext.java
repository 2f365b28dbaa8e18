package org.singlewindow.kit.messaging;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import java.util.Map;

/**
 * Carries the trace across the broker: the outbox stores the current span's W3C context with the row
 * (it is published later, by the relay, when the request's span is long gone), and a consumer
 * continues that trace in a span of its own, so a declaration's HTTP request, its fan-out and every
 * agency's handling share one trace id — in the logs too.
 */
public class TraceContext {

    private final Tracer tracer;
    private final Propagator propagator;

    public TraceContext(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** No tracing (tests, or a service without it). */
    public static TraceContext none() {
        return new TraceContext(Tracer.NOOP, Propagator.NOOP);
    }

    /** Add the current span's context (traceparent, ...) to outgoing headers. */
    public void inject(Map<String, Object> headers) {
        Span current = tracer.currentSpan();
        if (current != null) {
            propagator.inject(current.context(), headers, Map::put);
        }
    }

    /** A consumer span continuing the trace the headers carry (a new trace if they carry none). */
    public Span consume(Map<String, Object> headers, String queue) {
        return propagator.extract(headers, (carrier, key) -> {
                    Object value = carrier.get(key);
                    return value == null ? null : value.toString();
                })
                .name("consume " + queue).kind(Span.Kind.CONSUMER).tag("messaging.destination.name", queue).start();
    }

    public Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }
}
