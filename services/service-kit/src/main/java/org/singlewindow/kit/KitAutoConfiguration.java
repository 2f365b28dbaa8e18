package org.singlewindow.kit;

import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.ContractValidator;
import org.singlewindow.contract.Json;
import org.singlewindow.kit.messaging.BrokerIdentity;
import org.singlewindow.kit.messaging.BrokerTopology;
import org.singlewindow.kit.messaging.ConsumerBinding;
import org.singlewindow.kit.messaging.ConsumerContainers;
import org.singlewindow.kit.messaging.DeadLetters;
import org.singlewindow.kit.messaging.Inbox;
import org.singlewindow.kit.messaging.Locks;
import org.singlewindow.kit.messaging.Outbox;
import org.singlewindow.kit.messaging.OutboxRelay;
import org.singlewindow.kit.reference.ReferenceDataController;
import org.singlewindow.kit.web.AdminAudit;
import org.singlewindow.kit.web.AuditController;
import org.singlewindow.kit.web.CorrelationIdFilter;
import org.singlewindow.kit.web.DeadLetterController;
import org.singlewindow.kit.web.OutboxController;
import org.singlewindow.kit.web.ProblemHandler;
import org.singlewindow.kit.web.RequestBodyGuard;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import io.swagger.v3.oas.models.OpenAPI;
import org.singlewindow.kit.web.ApiDocumentation;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;
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
@EnableScheduling
@Import({ProblemHandler.class, DeadLetterController.class, OutboxController.class, ReferenceDataController.class,
        AuditController.class})
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
        BrokerTopology topology = new BrokerTopology(properties.messaging().deliveryLimit(),
                properties.messaging().topology() == KitProperties.TopologyMode.DECLARE);
        if (connectionFactory instanceof AbstractConnectionFactory factory) {
            factory.addConnectionListener(topology);
        }
        return topology;
    }

    /** This service's broker user (the connection's) and every other service's. */
    @Bean
    BrokerIdentity brokerIdentity(ConnectionFactory connectionFactory, KitProperties properties) {
        return new BrokerIdentity(connectionFactory.getUsername(), properties.messaging().brokerUsers());
    }

    /** The platform's time (tests replace it to run a lifecycle without sleeping). */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    OutboxRelay outboxRelay(JdbcClient jdbc, TransactionTemplate tx, RabbitTemplate rabbit, KitProperties properties,
                            MeterRegistry meters, BrokerTopology topology, BrokerIdentity identity) {
        return new OutboxRelay(jdbc, tx, rabbit, properties.outbox(), meters, identity);
    }

    @Bean
    Locks locks(JdbcClient jdbc) {
        return new Locks(jdbc);
    }

    /** The inbox: a redelivery older than {@code sw.retention.inbox} is not expected. */
    @Bean
    RetentionRule inboxRetention(KitProperties properties) {
        return new RetentionRule("inbox", "sw.inbox.pruned", "Inbox rows older than the retention, deleted",
                properties.retention().inbox(),
                "delete from inbox where ctid = any(array(select ctid from inbox where received_at < ? limit ?))");
    }

    /** Discarded dead letters (which may hold a person's data), after {@code sw.retention.dead-letter-archive}. */
    @Bean
    RetentionRule deadLetterArchiveRetention(KitProperties properties) {
        return new RetentionRule("dead-letter-archive", "sw.dead.letters.archive.pruned",
                "Discarded dead letters older than the retention, deleted", properties.retention().deadLetterArchive(), """
                        delete from discarded_dead_letter where ctid = any(array(
                            select ctid from discarded_dead_letter where discarded_at < ? limit ?))""");
    }

    @Bean
    Pruning pruning(JdbcClient jdbc, List<RetentionRule> rules, KitProperties properties, Clock clock, MeterRegistry meters) {
        return new Pruning(jdbc, rules, properties.retention().pruneEvery(), clock, meters);
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
    DeadLetters deadLetters(RabbitTemplate rabbit, MeterRegistry meters, BrokerIdentity identity) {
        return new DeadLetters(rabbit, meters, identity);
    }

    @Bean
    ConsumerContainers consumerContainers(List<ConsumerBinding> bindings, ConnectionFactory connectionFactory,
                                          Inbox inbox, Locks locks, TransactionTemplate tx, DeadLetters deadLetters,
                                          KitProperties properties, MeterRegistry meters, BrokerTopology topology,
                                          TraceContext trace, BrokerIdentity identity) {
        return new ConsumerContainers(bindings, connectionFactory, inbox, locks, tx, deadLetters, properties.messaging(), meters,
                trace, identity);
    }

    @Bean
    FilterRegistrationBean<CorrelationIdFilter> correlationIdFilter() {
        FilterRegistrationBean<CorrelationIdFilter> registration = new FilterRegistrationBean<>(new CorrelationIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * The service's OpenAPI document: named for people, addressed relative to where it is read (the
     * gateway's {@code /api/...}), never to the service's own host and port, with the realm's log-in and the
     * problem answers ({@link ApiDocumentation}); the internal API ({@code springdoc.paths-to-exclude}) is not
     * in it. {@code sw.openapi.issuer-uri} is the realm as a browser reaches it (the issuer by default).
     */
    @Bean
    @ConditionalOnMissingBean
    OpenAPI serviceOpenApi(@Value("${spring.application.name}") String service,
                           @Value("${sw.openapi.issuer-uri:${sw.security.issuer-uri}}") String issuerUri) {
        return ApiDocumentation.frame(service, issuerUri);
    }

    @Bean
    org.springdoc.core.customizers.OpenApiCustomizer problemAnswers() {
        return ApiDocumentation.problems();
    }

    @Bean
    AdminAudit adminAudit(JdbcClient jdbc, Clock clock) {
        return new AdminAudit(jdbc, clock);
    }

    /** Request bodies bounded and free of control characters; right after Spring Security's chain (order -100). */
    @Bean
    FilterRegistrationBean<RequestBodyGuard> requestBodyGuard(KitProperties properties) {
        FilterRegistrationBean<RequestBodyGuard> registration = new FilterRegistrationBean<>(
                new RequestBodyGuard(properties.http().maxBody(), properties.http().maxBodyByPath()));
        registration.setOrder(-99);
        return registration;
    }
}
