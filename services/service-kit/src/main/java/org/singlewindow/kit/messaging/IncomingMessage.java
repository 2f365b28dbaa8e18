package org.singlewindow.kit.messaging;

import org.singlewindow.contract.Headers;
import org.singlewindow.contract.Json;
import org.springframework.amqp.core.Message;
import tools.jackson.core.JacksonException;

import java.util.Objects;
import java.util.UUID;

/**
 * A message as a handler sees it: logical type, ids, and the JSON body. The body is parsed at most
 * once per type asked for: a batch's lock keys and its handling read the same parsed record.
 */
public final class IncomingMessage {

    private final String messageId;
    private final String type;
    private final String correlationId;
    private final UUID declarationId;
    private final byte[] body;
    private final String publisher;
    private Class<?> parsedAs;
    private Object parsed;

    public IncomingMessage(String messageId, String type, String correlationId, UUID declarationId, byte[] body) {
        this(messageId, type, correlationId, declarationId, body, null);
    }

    public IncomingMessage(String messageId, String type, String correlationId, UUID declarationId, byte[] body,
                           String publisher) {
        this.publisher = publisher;
        this.messageId = messageId;
        this.type = type;
        this.correlationId = correlationId;
        this.declarationId = declarationId;
        this.body = body;
    }

    static IncomingMessage of(Message message, BrokerIdentity identity) {
        var props = message.getMessageProperties();
        String type = props.getType() != null ? props.getType() : props.getReceivedRoutingKey();
        Object declarationHeader = props.getHeaders().get(Headers.DECLARATION_ID);
        UUID declarationId = null;
        if (declarationHeader != null) {
            try {
                declarationId = UUID.fromString(declarationHeader.toString());
            } catch (IllegalArgumentException e) {
                throw new NonRetryableMessageException("header " + Headers.DECLARATION_ID + " is not a UUID");
            }
        }
        return new IncomingMessage(props.getMessageId(), type, props.getCorrelationId(), declarationId, message.getBody(),
                identity.publisherOf(props.getReceivedUserId(), props.getHeaders()));
    }

    public String messageId() {
        return messageId;
    }

    /** The logical type ({@code declaration.submitted.v1}, ...). */
    public String type() {
        return type;
    }

    public String correlationId() {
        return correlationId;
    }

    /** The declaration the message is about (its {@code sw-declaration-id} header), or null. */
    public UUID declarationId() {
        return declarationId;
    }

    /** The broker user that published it ({@link BrokerIdentity#publisherOf}), or null. */
    public String publisher() {
        return publisher;
    }

    public byte[] body() {
        return body;
    }

    /** Read the body as a contract record; a body that does not parse is poison, not a transient failure. */
    public <T> T read(Class<T> as) {
        if (parsedAs == as) {
            return as.cast(parsed);
        }
        try {
            T value = Json.mapper().readValue(body, as);
            parsedAs = as;
            parsed = value;
            return value;
        } catch (JacksonException e) {
            throw new NonRetryableMessageException("body is not a valid " + as.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "IncomingMessage[" + messageId + ", " + type + ", declaration " + Objects.toString(declarationId) + "]";
    }
}
