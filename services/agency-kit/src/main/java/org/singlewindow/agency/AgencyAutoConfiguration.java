package org.singlewindow.agency;

import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.Topology;
import org.singlewindow.kit.KitAutoConfiguration;
import org.singlewindow.kit.KitProperties;
import org.singlewindow.kit.RetentionRule;
import org.singlewindow.agency.client.DeclarationClient;
import org.singlewindow.agency.client.DeclarationClientFallback;
import org.singlewindow.kit.messaging.BrokerIdentity;
import org.singlewindow.kit.messaging.ConsumerBinding;
import org.singlewindow.kit.messaging.Locks;
import org.singlewindow.kit.messaging.Outbox;
import org.singlewindow.kit.security.AccessRules;
import org.singlewindow.kit.security.Roles;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a service into an agency when {@code sw.agency} names one: its queue is consumed by
 * {@link AgencyIntake}, which acknowledges and asks the service's {@link DecisionPolicy} bean; its
 * back-office is open to its own officers only and reads the window's status from the declaration
 * service over OpenFeign with the agency's client-credentials token.
 */
@AutoConfiguration(after = KitAutoConfiguration.class)
@ConditionalOnProperty("sw.agency")
@Import({AgencyBackOfficeController.class, DeclarationClientFallback.class})
@EnableFeignClients(clients = DeclarationClient.class)
@EnableConfigurationProperties(DecisionProperties.class)
public class AgencyAutoConfiguration {

    /** Only this agency's officers reach its back-office (after any more specific rule of the service). */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    AccessRules agencyBackOfficeAccess(@Value("${sw.agency}") String agency) {
        String role = Roles.officer(Agency.fromKey(agency));
        return requests -> requests.requestMatchers("/api/v1/" + agency + "/**").hasRole(role);
    }

    @Bean
    AgencyIntake agencyIntake(@Value("${sw.agency}") String agency, DecisionPolicy policy, JdbcClient jdbc,
                              Outbox outbox, MeterRegistry meters, DecisionProperties settings,
                              Locks locks, JdbcTemplate jdbcTemplate) {
        return new AgencyIntake(Agency.fromKey(agency), policy, jdbc, outbox, meters, settings, locks, jdbcTemplate);
    }

    @Bean
    DeferredDecisions deferredDecisions(AgencyIntake intake, JdbcClient jdbc, TransactionTemplate tx,
                                        DecisionProperties settings, MeterRegistry meters) {
        return new DeferredDecisions(intake, jdbc, tx, settings, meters);
    }

    /**
     * The agency's copy of a declaration it received (a person's ID number, name, telephone and address
     * among it), emptied {@code sw.retention.received-payloads} after the case is settled: the agency keeps
     * its decisions, receipts and ledgers, the window the declaration.
     */
    @Bean
    RetentionRule receivedPayloadRetention(KitProperties properties) {
        return new RetentionRule("received-payloads", "sw.agency.payloads.pruned",
                "Received declarations of settled cases whose copy was dropped after the retention",
                properties.retention().receivedPayloads(), """
                        update received_declaration set payload = null where declaration_id = any(array(
                            select declaration_id from received_declaration
                            where payload is not null and settled_at < ? limit ?))""");
    }

    /** Declaration events are taken only from the single window: published by the declaration service's broker user. */
    @Bean
    ConsumerBinding agencyDeclarationsConsumer(@Value("${sw.agency}") String agency, AgencyIntake intake, BrokerIdentity identity) {
        String window = identity.userOf("declaration");
        return new ConsumerBinding(agency + "-intake", Topology.agencyQueue(Agency.fromKey(agency)), intake, message -> window);
    }
}
