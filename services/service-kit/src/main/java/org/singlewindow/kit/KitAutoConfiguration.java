package org.singlewindow.kit;

import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.ContractValidator;
import org.singlewindow.contract.Json;
import org.singlewindow.kit.messaging.BrokerTopology;
import org.singlewindow.kit.messaging.ConsumerBinding;
import org.singlewindow.kit.messaging.ConsumerContainers;
import org.singlewindow.kit.messaging.DeadLetters;
import org.singlewindow.kit.messaging.Inbox;
import org.singlewindow.kit.messaging.InboxPruning;
import org.singlewindow.kit.messaging.Locks;
import org.singlewindow.kit.messaging.Outbox;
import org.singlewindow.kit.messaging.OutboxRelay;
import org.singlewindow.kit.reference.ReferenceDataController;
import org.singlewindow.kit.web.CorrelationIdFilter;
import org.singlewindow.kit.web.DeadLetterController;
import org.singlewindow.kit.web.OutboxController;
import org.singlewindow.kit.web.ProblemHandler;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.beans.factory.ObjectProvider;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.singlewindow.kit.messaging.TraceContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.List;

/**
 * The service kit: what every Single Window service shares. Messaging (topology, outbox, relay,
 * inbox, reliable consumers, dead letters), problem+json errors, correlation ids.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"})
@EnableConfigurationProperties(KitProperties.class)
@Import({ProblemHandler.class, DeadLetterController.class, OutboxController.class, ReferenceDataController.class})
public class KitAutoConfiguration {

    @Bean
    JsonMapperBuilderCustomizer contractJsonSettings() {
        return Json::configure;
    }

    @Bean
    ContractValidator contractValidator() {
        return new ContractValidator();
    }

    @Bean
    BrokerTopology brokerTopology(ConnectionFactory connectionFactory, KitProperties properties) {
        BrokerTopology topology = new BrokerTopology(properties.messaging().deliveryLimit());
        if (connectionFactory instanceof AbstractConnectionFactory factory) {
            factory.addConnectionListener(topology);
        }
        return topology;
    }

    /** The platform's time (tests replace it to run a lifecycle without sleeping). */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    OutboxRelay outboxRelay(JdbcClient jdbc, TransactionTemplate tx, RabbitTemplate rabbit, KitProperties properties,
                            MeterRegistry meters, BrokerTopology topology) {
        return new OutboxRelay(jdbc, tx, rabbit, properties.outbox(), meters);
    }

    @Bean
    Locks locks(JdbcClient jdbc) {
        return new Locks(jdbc);
    }

    @Bean
    InboxPruning inboxPruning(JdbcClient jdbc, KitProperties properties, Clock clock, MeterRegistry meters) {
        return new InboxPruning(jdbc, properties.retention(), clock, meters);
    }

    @Bean
    TraceContext traceContext(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new TraceContext(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    @Bean
    Outbox outbox(JdbcTemplate jdbc, OutboxRelay relay, TraceContext trace, Clock clock) {
        return new Outbox(jdbc, Json.mapper(), relay, trace, clock);
    }

    @Bean
    Inbox inbox(JdbcClient jdbc) {
        return new Inbox(jdbc);
    }

    @Bean
    DeadLetters deadLetters(RabbitTemplate rabbit, MeterRegistry meters) {
        return new DeadLetters(rabbit, meters);
    }

    @Bean
    ConsumerContainers consumerContainers(List<ConsumerBinding> bindings, ConnectionFactory connectionFactory,
                                          Inbox inbox, Locks locks, TransactionTemplate tx, DeadLetters deadLetters,
                                          KitProperties properties, MeterRegistry meters, BrokerTopology topology,
                                          TraceContext trace) {
        return new ConsumerContainers(bindings, connectionFactory, inbox, locks, tx, deadLetters, properties.messaging(), meters, trace);
    }

    @Bean
    FilterRegistrationBean<CorrelationIdFilter> correlationIdFilter() {
        FilterRegistrationBean<CorrelationIdFilter> registration = new FilterRegistrationBean<>(new CorrelationIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
