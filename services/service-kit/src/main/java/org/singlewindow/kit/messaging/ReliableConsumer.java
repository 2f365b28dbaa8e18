package org.singlewindow.kit.messaging;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.singlewindow.contract.Headers;
import org.singlewindow.kit.KitProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Processes one queue, a batch at a time: what the container found waiting (up to
 * {@code sw.messaging.batch-size}) is handled in <b>one</b> database transaction — one inbox statement
 * for every message id, the batch's locks taken in one key order ({@link Locks}), each new message's
 * handler in delivery order, the outbox rows they wrote inserted together at commit — and acknowledged
 * with one multiple-ack after the commit.
 * <p>
 * If anything in the batch fails, the transaction rolls back and the same messages are taken one at a
 * time through the per-message path, so a failing message is retried a bounded number of times and
 * then dead-lettered with its error, exactly as alone. A redelivered message is always handled alone
 * (it may be the one that crashed the consumer last time). A failure of the infrastructure itself
 * (database unreachable, deadlock) is not the messages' fault: they are returned to the queue after a
 * pause and never dead-lettered for that.
 */
public class ReliableConsumer implements ChannelAwareBatchMessageListener {

    private static final Logger log = LoggerFactory.getLogger(ReliableConsumer.class);
    private static final Duration TRANSIENT_PAUSE = Duration.ofSeconds(1);

    private final ConsumerBinding binding;
    private final Inbox inbox;
    private final Locks locks;
    private final TransactionTemplate tx;
    private final DeadLetters deadLetters;
    private final KitProperties.Messaging settings;
    private final Counter processed;
    private final Counter duplicates;
    private final Counter retries;
    private final Counter batchFallbacks;
    private final Timer handling;
    private final DistributionSummary batchSizes;
    private final TraceContext trace;
    private final BatchPacing pacing;
    private final BrokerIdentity identity;
    private final Counter foreign;
    private final RetryTemplate retry;

    public ReliableConsumer(ConsumerBinding binding, Inbox inbox, Locks locks, TransactionTemplate tx, DeadLetters deadLetters,
                            KitProperties.Messaging settings, MeterRegistry meters, TraceContext trace, BatchPacing pacing,
                            BrokerIdentity identity) {
        this.binding = binding;
        this.identity = identity;
        this.foreign = Counter.builder("sw.messages.foreign").tag("queue", binding.queue())
                .description("Messages refused because they were not published by the service that may send them")
                .register(meters);
        this.pacing = pacing;
        this.trace = trace;
        this.inbox = inbox;
        this.locks = locks;
        this.tx = tx;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.processed = Counter.builder("sw.messages.processed").tag("queue", binding.queue()).register(meters);
        this.duplicates = Counter.builder("sw.inbox.duplicates").tag("queue", binding.queue())
                .description("Redelivered messages skipped by the inbox").register(meters);
        this.retries = Counter.builder("sw.messages.retries").tag("queue", binding.queue()).register(meters);
        this.batchFallbacks = Counter.builder("sw.messages.batch.fallbacks").tag("queue", binding.queue())
                .description("Batches that failed and were taken again one message at a time").register(meters);
        this.handling = Timer.builder("sw.messages.handling").tag("queue", binding.queue())
                .description("Time to handle a batch of messages: inbox, locks, handlers and commit").publishPercentileHistogram()
                .register(meters);
        this.batchSizes = DistributionSummary.builder("sw.messages.batch.size").tag("queue", binding.queue())
                .description("Messages a consumer took from its queue at once (handled in one transaction unless the batch fails)").serviceLevelObjectives(1, 2, 5, 10, 25, 50, 100, 250)
                .register(meters);
        this.retry = retryTemplate();
    }

    @Override
    public void onMessageBatch(List<Message> messages, Channel channel) {
        batchSizes.record(messages.size());
        pacing.observed(messages.size());
        try {
            List<Message> batch = new ArrayList<>(messages.size());
            List<IncomingMessage> incoming = new ArrayList<>(messages.size());
            for (Message message : messages) {
                IncomingMessage parsed = batchable(message) ? IncomingMessage.of(message, identity) : null;
                if (parsed != null && fromExpectedPublisher(parsed)) {
                    batch.add(message);
                    incoming.add(parsed);
                } else {
                    // handled (and acknowledged, or dead-lettered) alone, before the batch's multiple-ack covers its tag
                    onMessage(message, channel);
                }
            }
            if (batch.size() == 1) {
                onMessage(batch.getFirst(), channel);
            } else if (!batch.isEmpty()) {
                processBatch(batch, incoming, channel);
            }
        } catch (IOException e) {
            // the channel is gone: the broker returns every unacknowledged message of it to the queue
            log.warn("channel failed while acknowledging on {}: {}", binding.queue(), e.toString());
        }
    }

    /** A message that may share a transaction: first delivery, with an id and a readable declaration header. */
    private static boolean batchable(Message message) {
        var props = message.getMessageProperties();
        if (Boolean.TRUE.equals(props.getRedelivered()) || props.getMessageId() == null || props.getMessageId().isBlank()) {
            return false;
        }
        Object declarationId = props.getHeaders().get(Headers.DECLARATION_ID);
        try {
            if (declarationId != null) {
                java.util.UUID.fromString(declarationId.toString());
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void processBatch(List<Message> batch, List<IncomingMessage> incoming, Channel channel) throws IOException {
        long lastTag = batch.getLast().getMessageProperties().getDeliveryTag();
        int[] firsts = new int[1];
        try {
            Timer.Sample sample = Timer.start();
            tx.executeWithoutResult(status -> {
                Set<String> fresh = inbox.firstDeliveries(binding.consumer(), incoming.stream().map(IncomingMessage::messageId).toList());
                List<IncomingMessage> toHandle = new ArrayList<>(fresh.size());
                List<Message> delivered = new ArrayList<>(fresh.size());
                for (int i = 0; i < incoming.size(); i++) {
                    if (fresh.remove(incoming.get(i).messageId())) {
                        toHandle.add(incoming.get(i));
                        delivered.add(batch.get(i));
                    }
                }
                locks.lock(binding.handler().lockKeys(toHandle));
                binding.handler().prepare(toHandle);
                if (toHandle.isEmpty()) {
                    // every message was a duplicate
                } else if (binding.handler() instanceof BatchMessageHandler setBased) {
                    // one span for the batch, continuing the first message's trace
                    handleTraced(delivered.getFirst(), toHandle.getFirst(), () -> setBased.handleAll(toHandle));
                } else {
                    for (int i = 0; i < toHandle.size(); i++) {
                        IncomingMessage message = toHandle.get(i);
                        handleTraced(delivered.get(i), message, () -> binding.handler().handle(message));
                    }
                }
                firsts[0] = toHandle.size();
            });
            sample.stop(handling);
            channel.basicAck(lastTag, true);
            processed.increment(firsts[0]);
            duplicates.increment(batch.size() - firsts[0]);
        } catch (RuntimeException e) {
            if (isInfrastructureFailure(e)) {
                log.warn("infrastructure failure on {} (batch of {}), returning it to the queue: {}",
                        binding.queue(), batch.size(), e.toString());
                pause(TRANSIENT_PAUSE);
                channel.basicNack(lastTag, true, true);
                return;
            }
            batchFallbacks.increment();
            log.info("a batch of {} on {} failed ({}); taking its messages one at a time", batch.size(), binding.queue(), e.toString());
            for (Message message : batch) {
                onMessage(message, channel);
            }
        }
    }

    private boolean fromExpectedPublisher(IncomingMessage message) {
        try {
            String expected = binding.expectedPublisher().apply(message);
            return expected == null || expected.equals(message.publisher());
        } catch (NonRetryableMessageException e) {
            return false; // the per-message path dead-letters it with the reason
        }
    }

    /** A message from a service that may not send it is refused: dead-lettered with the reason, never handled. */
    private void checkPublisher(IncomingMessage message) {
        String expected = binding.expectedPublisher().apply(message);
        if (expected != null && !expected.equals(message.publisher())) {
            foreign.increment();
            throw new NonRetryableMessageException("published by " + (message.publisher() == null ? "an unidentified user"
                    : "broker user '" + message.publisher() + "'") + ", but " + message.type() + " on " + binding.queue()
                    + " is accepted only from '" + expected + "'");
        }
    }

    private void handleTraced(Message message, IncomingMessage incoming, Runnable handling) {
        Span span = trace.consume(message.getMessageProperties().getHeaders(), binding.queue());
        try (Tracer.SpanInScope scope = trace.inScope(span)) {
            MDC.put(Logging.CORRELATION_ID, incoming.correlationId());
            MDC.put(Logging.DECLARATION_ID, incoming.declarationId() == null ? null : incoming.declarationId().toString());
            handling.run();
        } finally {
            MDC.remove(Logging.CORRELATION_ID);
            MDC.remove(Logging.DECLARATION_ID);
            span.end();
        }
    }

    /** The per-message path: one message, its own transaction, retries, then the dead-letter queue. */
    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        // continue the publisher's trace: the logs of this handling carry its trace id
        Span span = trace.consume(message.getMessageProperties().getHeaders(), binding.queue());
        try (Tracer.SpanInScope scope = trace.inScope(span)) {
            process(message, channel);
        } finally {
            span.end();
        }
    }

    private void process(Message message, Channel channel) throws IOException {
        long tag = message.getMessageProperties().getDeliveryTag();
        String messageId = message.getMessageProperties().getMessageId();
        try {
            MDC.put(Logging.CORRELATION_ID, message.getMessageProperties().getCorrelationId());
            Object declarationId = message.getMessageProperties().getHeaders().get(Headers.DECLARATION_ID);
            MDC.put(Logging.DECLARATION_ID, declarationId == null ? null : declarationId.toString());
            if (messageId == null || messageId.isBlank()) {
                deadLetterOrRequeue(message, channel, tag, new NonRetryableMessageException("message has no message-id"), 1);
                return;
            }
            boolean first;
            try {
                first = retry.execute(new Retryable<>() {
                    @Override
                    public Boolean execute() {
                        return handleAlone(message, messageId);
                    }

                    @Override
                    public String getName() {
                        return "message " + messageId;
                    }
                });
            } catch (RetryException e) {
                Throwable failure = e.getLastException();
                if (isInfrastructureFailure(failure)) {
                    log.warn("infrastructure failure on {} (message {}), returning it to the queue: {}",
                            binding.queue(), messageId, failure.toString());
                    pause(TRANSIENT_PAUSE);
                    channel.basicNack(tag, false, true);
                    return;
                }
                int attempts = e.getRetryCount() + 1;
                log.error("message {} on {} failed {} time(s), dead-lettering it: {}", messageId, binding.queue(), attempts,
                        failure.toString());
                deadLetterOrRequeue(message, channel, tag, failure, attempts);
                return;
            }
            (first ? processed : duplicates).increment();
            channel.basicAck(tag, false);
        } finally {
            MDC.remove(Logging.CORRELATION_ID);
            MDC.remove(Logging.DECLARATION_ID);
        }
    }

    /** One attempt: inbox, publisher, lock and handler in one transaction; false for a duplicate. */
    private boolean handleAlone(Message message, String messageId) {
        Timer.Sample sample = Timer.start();
        boolean first = Boolean.TRUE.equals(tx.execute(status -> {
            if (!inbox.firstDelivery(binding.consumer(), messageId)) {
                return false;
            }
            IncomingMessage incoming = IncomingMessage.of(message, identity);
            checkPublisher(incoming);
            locks.lock(binding.handler().lockKeys(List.of(incoming)));
            binding.handler().prepare(List.of(incoming));
            binding.handler().handle(incoming);
            return true;
        }));
        sample.stop(handling);
        return first;
    }

    /**
     * Spring's retry: a failing message is tried {@code sw.messaging.max-attempts} times, the pause doubling from
     * {@code retry-backoff}; a message the handler calls unfit, or a failure of the infrastructure, is not retried here.
     */
    private RetryTemplate retryTemplate() {
        RetryTemplate template = new RetryTemplate(RetryPolicy.builder()
                .maxRetries(settings.maxAttempts() - 1)
                .delay(settings.retryBackoff())
                .multiplier(2)
                .predicate(e -> !(e instanceof NonRetryableMessageException) && !isInfrastructureFailure(e))
                .build());
        template.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy policy, Retryable<?> retryable, RetryState state) {
                // the count already includes the retry about to start: it is the number of the attempt that failed
                retries.increment();
                log.warn("{} on {} failed (attempt {}), retrying: {}", retryable.getName(), binding.queue(),
                        state.getRetryCount(), String.valueOf(state.getLastException()));
            }
        });
        return template;
    }

    private void deadLetterOrRequeue(Message message, Channel channel, long tag, Throwable error, int attempts) throws IOException {
        try {
            deadLetters.deadLetter(binding.queue(), message, error, attempts);
            channel.basicAck(tag, false);
        } catch (RuntimeException publishFailure) {
            log.error("could not dead-letter message {} on {}, returning it to the queue: {}",
                    message.getMessageProperties().getMessageId(), binding.queue(), publishFailure.toString());
            pause(TRANSIENT_PAUSE);
            channel.basicNack(tag, false, true);
        }
    }

    static boolean isInfrastructureFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NonRetryableMessageException) {
                return false;
            }
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                    || t instanceof CannotCreateTransactionException || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException || t instanceof AmqpConnectException
                    || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")
                    || sql.getSQLState().equals("40001") || sql.getSQLState().equals("40P01"))) {
                return true;
            }
        }
        return false;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
