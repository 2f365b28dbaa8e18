package org.singlewindow.kit.messaging;

import org.singlewindow.contract.Headers;
import org.singlewindow.contract.Topology;

import java.util.Map;

/**
 * Which service a message comes from, as the broker vouches for it. Every service connects to the
 * broker as its own user ({@code sw-<service>}, or what {@code sw.messaging.broker-users.<service>} names)
 * and stamps that user as the AMQP {@code user-id} of everything it publishes; RabbitMQ (and the
 * embedded broker) refuse a message whose {@code user-id} is not the user of the connection it came on.
 * A consumer therefore knows the publishing service of each delivery, and accepts a message only from
 * the service that may send it ({@link ConsumerBinding#expectedPublisher}).
 *
 * <p>A service republishes deliveries of its own queues (dead-lettering, replaying a dead letter) under
 * its own user; it then records the first publisher in {@link Headers#PUBLISHED_BY}, a header trusted
 * only on a message carrying the service's own user.
 */
public final class BrokerIdentity {

    private final String own;
    private final Map<String, String> users;

    /**
     * @param own   the user this service connects as
     * @param users a broker user per service name, for deployments whose users are named otherwise
     */
    public BrokerIdentity(String own, Map<String, String> users) {
        this.own = own;
        this.users = Map.copyOf(users);
    }

    /** The user this service publishes as. */
    public String own() {
        return own;
    }

    /** The user the given service ({@code declaration}, {@code customs}, …) publishes as. */
    public String userOf(String service) {
        return users.getOrDefault(service, Topology.brokerUser(service));
    }

    /**
     * The broker-validated publisher of a delivery: its {@code user-id}; for a message this service
     * republished itself, the publisher it recorded then; null when the message carries no user.
     */
    public String publisherOf(String userId, Map<String, Object> headers) {
        if (userId != null && userId.equals(own) && headers != null && headers.get(Headers.PUBLISHED_BY) != null) {
            return headers.get(Headers.PUBLISHED_BY).toString();
        }
        return userId;
    }

    /**
     * Before this service republishes a delivery under its own user (dead-lettering, replay): the first
     * publisher recorded in the headers ({@link Headers#PUBLISHED_BY}), or the header removed when the
     * delivery had no vouched-for publisher.
     */
    public void recordPublisher(String userId, Map<String, Object> headers) {
        String publisher = publisherOf(userId, headers);
        if (publisher != null) {
            headers.put(Headers.PUBLISHED_BY, publisher);
        } else {
            headers.remove(Headers.PUBLISHED_BY);
        }
    }
}
