package org.singlewindow.kit.messaging;

import org.singlewindow.contract.Agency;
import org.singlewindow.contract.Topology;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** A minimal service on the kit: consumes the customs queue and records an effect per message. */
@SpringBootApplication
public class KitTestApplication {

    @Bean
    ConsumerBinding testConsumer(JdbcClient jdbc) {
        return new ConsumerBinding("kit-test", Topology.agencyQueue(Agency.CUSTOMS), message -> {
            JsonNode body = message.read(JsonNode.class);
            if (body.path("poison").asBoolean(false)) {
                throw new IllegalStateException("poison pill " + body.path("n").asInt());
            }
            jdbc.sql("insert into effect (message_id, n, trace_id) values (?, ?, ?)")
                    .params(message.messageId(), body.path("n").asInt(), org.slf4j.MDC.get("traceId")).update();
        }, message -> message.type() != null && message.type().startsWith("from-window") ? "sw-declaration" : null);
    }
}
