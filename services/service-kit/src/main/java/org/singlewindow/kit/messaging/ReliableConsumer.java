package org.singlewindow.kit.messaging;

import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.singlewindow.kit.KitProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;

/**
 * Processes one queue: the inbox check and the handler run in one database transaction, and the
 * message is acknowledged only after that commits. A failure is retried in place a bounded number
 * of times, then the message is dead-lettered with its error and acknowledged, so the queue keeps
 * flowing. A failure of the infrastructure itself (database unreachable, deadlock) is not the
 * message's fault: it is returned to the queue after a pause and never dead-lettered for that.
 */
public class ReliableConsumer implements ChannelAwareMessageListener {

    private static final Logger log = LoggerFactory.getLogger(ReliableConsumer.class);
    private static final Duration TRANSIENT_PAUSE = Duration.ofSeconds(1);

    private final ConsumerBinding binding;
    private final Inbox inbox;
    private final TransactionTemplate tx;
    private final DeadLetters deadLetters;
    private final KitProperties.Messaging settings;
    private final Counter processed;
    private final Counter duplicates;
    private final Counter retries;
    private final Timer handling;
    private final TraceContext trace;

    public ReliableConsumer(ConsumerBinding binding, Inbox inbox, TransactionTemplate tx, DeadLetters deadLetters,
                            KitProperties.Messaging settings, MeterRegistry meters, TraceContext trace) {
        this.binding = binding;
        this.trace = trace;
        this.inbox = inbox;
        this.tx = tx;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.processed = Counter.builder("sw.messages.processed").tag("queue", binding.queue()).register(meters);
        this.duplicates = Counter.builder("sw.inbox.duplicates").tag("queue", binding.queue())
                .description("Redelivered messages skipped by the inbox").register(meters);
        this.retries = Counter.builder("sw.messages.retries").tag("queue", binding.queue()).register(meters);
        this.handling = Timer.builder("sw.messages.handling").tag("queue", binding.queue())
                .description("Time to handle a message: inbox check, handler and commit").publishPercentileHistogram()
                .register(meters);
    }

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
            Object declarationId = message.getMessageProperties().getHeaders().get(org.singlewindow.contract.Headers.DECLARATION_ID);
            MDC.put(Logging.DECLARATION_ID, declarationId == null ? null : declarationId.toString());
            if (messageId == null || messageId.isBlank()) {
                deadLetterOrRequeue(message, channel, tag, new NonRetryableMessageException("message has no message-id"), 1);
                return;
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    Timer.Sample sample = Timer.start();
                    boolean first = Boolean.TRUE.equals(tx.execute(status -> {
                        if (!inbox.firstDelivery(binding.consumer(), messageId)) {
                            return false;
                        }
                        binding.handler().handle(IncomingMessage.of(message));
                        return true;
                    }));
                    sample.stop(handling);
                    (first ? processed : duplicates).increment();
                    channel.basicAck(tag, false);
                    return;
                } catch (RuntimeException e) {
                    if (isInfrastructureFailure(e)) {
                        log.warn("infrastructure failure on {} (message {}), returning it to the queue: {}",
                                binding.queue(), messageId, e.toString());
                        pause(TRANSIENT_PAUSE);
                        channel.basicNack(tag, false, true);
                        return;
                    }
                    if (e instanceof NonRetryableMessageException || attempt >= settings.maxAttempts()) {
                        log.error("message {} on {} failed {} time(s), dead-lettering it: {}", messageId,
                                binding.queue(), attempt, e.toString());
                        deadLetterOrRequeue(message, channel, tag, e, attempt);
                        return;
                    }
                    retries.increment();
                    log.warn("message {} on {} failed (attempt {}), retrying: {}", messageId, binding.queue(), attempt, e.toString());
                    pause(settings.retryBackoff().multipliedBy(1L << (attempt - 1)));
                }
            }
        } finally {
            MDC.remove(Logging.CORRELATION_ID);
            MDC.remove(Logging.DECLARATION_ID);
        }
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
