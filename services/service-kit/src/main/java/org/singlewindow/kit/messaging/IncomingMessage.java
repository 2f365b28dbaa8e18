package org.singlewindow.kit.messaging;

import org.singlewindow.contract.Headers;
import org.singlewindow.contract.Json;
import org.springframework.amqp.core.Message;
import tools.jackson.core.JacksonException;

import java.util.UUID;

/** A message as a handler sees it: logical type, ids, and the JSON body. */
public record IncomingMessage(String messageId, String type, String correlationId, UUID declarationId, byte[] body) {

    static IncomingMessage of(Message message) {
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
        return new IncomingMessage(props.getMessageId(), type, props.getCorrelationId(), declarationId, message.getBody());
    }

    /** Read the body as a contract record; a body that does not parse is poison, not a transient failure. */
    public <T> T read(Class<T> type) {
        try {
            return Json.mapper().readValue(body, type);
        } catch (JacksonException e) {
            throw new NonRetryableMessageException("body is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
