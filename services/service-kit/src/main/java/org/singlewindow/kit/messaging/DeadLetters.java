package org.singlewindow.kit.messaging;

import com.rabbitmq.client.GetResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Headers;
import org.singlewindow.contract.Topology;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dead letters: a copy of the failed message, with the error attached, published (mandatory, with its
 * own publisher confirm: {@link Confirms}) to {@code sw.dead-letter} and routed to {@code <queue>.dlq}. They can be listed and
 * replayed onto their original queue.
 */
public class DeadLetters {

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_REASON = 4_000;
    private static final DefaultMessagePropertiesConverter PROPERTIES = new DefaultMessagePropertiesConverter();

    private final RabbitTemplate rabbit;
    private final MeterRegistry meters;
    private final BrokerIdentity identity;

    public DeadLetters(RabbitTemplate rabbit, MeterRegistry meters, BrokerIdentity identity) {
        this.rabbit = rabbit;
        this.meters = meters;
        this.identity = identity;
    }

    /** Publish a dead letter and wait for the broker to confirm it; throws if it could not. */
    public void deadLetter(String queue, Message failed, Throwable error, int attempts) {
        MessageProperties props = failed.getMessageProperties();
        props.setHeader(Headers.DEAD_LETTER_REASON, describe(error));
        props.setHeader(Headers.DEAD_LETTER_QUEUE, queue);
        props.setHeader(Headers.DEAD_LETTER_ATTEMPTS, attempts);
        props.setHeader(Headers.DEAD_LETTER_AT, OffsetDateTime.now(ZoneOffset.UTC).toString());
        // republished under this service's own user, the first publisher recorded (BrokerIdentity)
        identity.recordPublisher(props.getReceivedUserId(), props.getHeaders());
        props.setUserId(identity.own());
        if (props.getType() == null && props.getReceivedRoutingKey() != null) {
            props.setType(props.getReceivedRoutingKey());
        }
        // mandatory: a dead-letter queue that is not there fails the dead-lettering (the message goes back
        // to its queue) instead of dropping the message
        rabbit.invoke(operations -> {
            Confirms.publishOne(operations, new Confirms.Publication(Topology.DEAD_LETTER_EXCHANGE, queue, failed), CONFIRM_TIMEOUT);
            return null;
        });
        Counter.builder("sw.dead.letters").tag("queue", queue).description("Messages dead-lettered")
                .register(meters).increment();
    }

    /** A dead letter as an administrator sees it. */
    public record DeadLetter(String messageId, String type, String declarationId, String reason, Object attempts,
                             String deadLetteredAt, String body) {
    }

    /** Depth of a queue's dead-letter queue. */
    public long depth(String queue) {
        return rabbit.execute(channel -> (long) channel.queueDeclarePassive(Topology.deadLetterQueue(queue)).getMessageCount());
    }

    /** The depth for a gauge: NaN while the broker cannot be asked (a scrape must not fail). */
    double depthOrNaN(String queue) {
        return org.singlewindow.kit.GaugeReadings.orNaN(() -> depth(queue));
    }

    /** Look at up to {@code max} dead letters without removing them (they are returned to the queue). */
    public List<DeadLetter> peek(String queue, int max) {
        return rabbit.execute(channel -> {
            List<DeadLetter> out = new ArrayList<>();
            List<Long> tags = new ArrayList<>();
            for (int i = 0; i < max; i++) {
                GetResponse response = channel.basicGet(Topology.deadLetterQueue(queue), false);
                if (response == null) {
                    break;
                }
                tags.add(response.getEnvelope().getDeliveryTag());
                var p = response.getProps();
                var h = p.getHeaders() == null ? java.util.Map.<String, Object>of() : p.getHeaders();
                out.add(new DeadLetter(p.getMessageId(), p.getType(), str(h.get(Headers.DECLARATION_ID)),
                        str(h.get(Headers.DEAD_LETTER_REASON)), h.get(Headers.DEAD_LETTER_ATTEMPTS),
                        str(h.get(Headers.DEAD_LETTER_AT)), abbreviate(new String(response.getBody(), StandardCharsets.UTF_8), 2_000)));
            }
            for (Long tag : tags) {
                channel.basicNack(tag, false, true);
            }
            return out;
        });
    }

    /** One dead letter in full (body up to 64 KB, every header), if it is on the queue's dead-letter queue. */
    public record Letter(DeadLetter summary, Map<String, Object> headers, byte[] body) {
    }

    /** Look at one dead letter by its message id, leaving it in place. */
    public Optional<Letter> inspect(String queue, String messageId) {
        return rabbit.execute(channel -> {
            String deadLetterQueue = Topology.deadLetterQueue(queue);
            long present = channel.messageCount(deadLetterQueue);
            List<Long> tags = new ArrayList<>();
            Letter found = null;
            try {
                for (long i = 0; i < present && found == null; i++) {
                    GetResponse response = channel.basicGet(deadLetterQueue, false);
                    if (response == null) {
                        break;
                    }
                    tags.add(response.getEnvelope().getDeliveryTag());
                    if (messageId.equals(response.getProps().getMessageId())) {
                        found = letter(response);
                    }
                }
            } finally {
                for (Long tag : tags) {
                    channel.basicNack(tag, false, true);
                }
            }
            return Optional.ofNullable(found);
        });
    }

    /**
     * Take one dead letter (by message id) off its dead-letter queue, either back onto its queue
     * ({@code replay}: published with a confirm first) or into {@code archive} (which must succeed
     * first); only then is it removed from the broker. Returns whether it was found.
     */
    public boolean take(String queue, String messageId, boolean replay, java.util.function.Consumer<Letter> archive) {
        return rabbit.invoke(operations -> operations.execute(channel -> {
            String deadLetterQueue = Topology.deadLetterQueue(queue);
            long present = channel.messageCount(deadLetterQueue);
            List<Long> others = new ArrayList<>();
            boolean taken = false;
            try {
                for (long i = 0; i < present && !taken; i++) {
                    GetResponse response = channel.basicGet(deadLetterQueue, false);
                    if (response == null) {
                        break;
                    }
                    if (messageId.equals(response.getProps().getMessageId())) {
                        if (replay) {
                            Confirms.publishOne(operations, new Confirms.Publication("", queue, republished(response)),
                                    CONFIRM_TIMEOUT);
                        } else {
                            archive.accept(letter(response));
                        }
                        channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                        taken = true;
                    } else {
                        others.add(response.getEnvelope().getDeliveryTag());
                    }
                }
            } finally {
                for (Long tag : others) {
                    channel.basicNack(tag, false, true);
                }
            }
            return taken;
        }));
    }

    private static Letter letter(GetResponse response) {
        var p = response.getProps();
        Map<String, Object> headers = new java.util.LinkedHashMap<>();
        if (p.getHeaders() != null) {
            p.getHeaders().forEach((k, v) -> headers.put(k, v == null ? null : v.toString()));
        }
        byte[] body = response.getBody();
        DeadLetter summary = new DeadLetter(p.getMessageId(), p.getType(), str(headers.get(Headers.DECLARATION_ID)),
                str(headers.get(Headers.DEAD_LETTER_REASON)), headers.get(Headers.DEAD_LETTER_ATTEMPTS),
                str(headers.get(Headers.DEAD_LETTER_AT)), abbreviate(new String(body, StandardCharsets.UTF_8), 65_536));
        return new Letter(summary, headers, body);
    }

    /**
     * Move up to {@code max} dead letters back onto their queue; returns how many moved. Only the
     * letters present when the replay starts are moved: one that fails again and comes back while
     * the replay runs waits for the next replay instead of going round in a loop.
     */
    public int replay(String queue, int max) {
        return rabbit.invoke(operations -> operations.execute(channel -> {
            String deadLetterQueue = Topology.deadLetterQueue(queue);
            long present = channel.messageCount(deadLetterQueue);
            int moved = 0;
            for (int i = 0; i < Math.min(max, present); i++) {
                GetResponse response = channel.basicGet(deadLetterQueue, false);
                if (response == null) {
                    break;
                }
                Confirms.publishOne(operations, new Confirms.Publication("", queue, republished(response)), CONFIRM_TIMEOUT);
                channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                moved++;
            }
            return moved;
        }));
    }

    /** A dead letter's properties for its way back: this service's user-id, the first publisher recorded. */
    private Message republished(GetResponse response) {
        MessageProperties properties = PROPERTIES.toMessageProperties(response.getProps(), null, StandardCharsets.UTF_8.name());
        identity.recordPublisher(properties.getReceivedUserId(), properties.getHeaders());
        properties.setUserId(identity.own());
        return new Message(response.getBody(), properties);
    }

    private static String describe(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return abbreviate(error + "\n" + trace, MAX_REASON);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
