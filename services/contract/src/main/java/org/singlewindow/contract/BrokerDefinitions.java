package org.singlewindow.contract;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform's broker, provisioned: {@link Topology}'s exchanges, queues and bindings and each
 * service's permissions, as a RabbitMQ definitions document ({@code rabbitmqctl import_definitions}, the
 * management API, or {@code load_definitions} at boot). The users themselves are not in it: each one's
 * password comes from the deployment's secrets and the user is created before the import.
 * {@code infra/rabbitmq/definitions.json} is this document for the virtual host {@code /}.
 */
public final class BrokerDefinitions {

    /** The quorum queues' delivery limit (the kit's {@code sw.messaging.delivery-limit} default). */
    public static final int DELIVERY_LIMIT = 50;

    private BrokerDefinitions() {
    }

    /** The definitions for one virtual host, with a user per service named by {@code users}. */
    public static Map<String, Object> of(String vhost, Map<String, String> users) {
        Map<String, Object> definitions = new LinkedHashMap<>();
        definitions.put("vhosts", List.of(Map.of("name", vhost)));
        List<Map<String, Object>> permissions = new ArrayList<>();
        List<Map<String, Object>> topicPermissions = new ArrayList<>();
        for (String service : Topology.BROKER_SERVICES) {
            String user = users.getOrDefault(service, Topology.brokerUser(service));
            Topology.Permissions p = Topology.permissions(service);
            permissions.add(ordered("user", user, "vhost", vhost, "configure", p.configure(), "write", p.write(), "read", p.read()));
            Topology.Permissions topic = Topology.receiptTopicPermission(service);
            if (topic != null) {
                topicPermissions.add(ordered("user", user, "vhost", vhost, "exchange", Topology.RECEIPTS_EXCHANGE,
                        "write", topic.write(), "read", topic.read()));
            }
        }
        definitions.put("permissions", permissions);
        definitions.put("topic_permissions", topicPermissions);
        List<Map<String, Object>> exchanges = new ArrayList<>();
        Topology.exchanges().forEach((name, type) -> exchanges.add(ordered("name", name, "vhost", vhost, "type", type,
                "durable", true, "auto_delete", false, "internal", false, "arguments", Map.of())));
        definitions.put("exchanges", exchanges);
        List<Map<String, Object>> queues = new ArrayList<>();
        List<Map<String, Object>> bindings = new ArrayList<>();
        for (String queue : Topology.consumerQueues()) {
            String dlq = Topology.deadLetterQueue(queue);
            queues.add(ordered("name", queue, "vhost", vhost, "durable", true, "auto_delete", false,
                    "arguments", Topology.rabbitQueueArguments(queue, DELIVERY_LIMIT)));
            queues.add(ordered("name", dlq, "vhost", vhost, "durable", true, "auto_delete", false,
                    "arguments", Topology.rabbitDeadLetterQueueArguments()));
            var binding = Topology.bindingOf(queue);
            bindings.add(binding(vhost, binding.getKey(), queue, binding.getValue()));
            bindings.add(binding(vhost, Topology.DEAD_LETTER_EXCHANGE, dlq, queue));
        }
        definitions.put("queues", queues);
        definitions.put("bindings", bindings);
        return definitions;
    }

    /** {@link #of} as indented JSON. */
    public static String json(String vhost, Map<String, String> users) {
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(of(vhost, users)) + "\n";
    }

    private static Map<String, Object> binding(String vhost, String exchange, String queue, String routingKey) {
        return ordered("source", exchange, "vhost", vhost, "destination", queue, "destination_type", "queue",
                "routing_key", routingKey, "arguments", Map.of());
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
