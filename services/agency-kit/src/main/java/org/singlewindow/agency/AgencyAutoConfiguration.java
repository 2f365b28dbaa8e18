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
import org.singlewindow.identity.Roles;
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
 * {@link AgencyIntake}, which acknowledges and asks the service's {@link DecisionPolicy} bean (the kit calls the
 * policy, the policy answers through {@link AgencyAnswers} and never calls the intake); its cases are
 * kept by {@link AgencyCases}; its
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
    AgencyCases agencyCases(JdbcClient jdbc) {
        return new AgencyCases(jdbc);
    }

    @Bean
    AgencyAnswers agencyAnswers(@Value("${sw.agency}") String agency, AgencyCases cases, Outbox outbox, MeterRegistry meters,
                                JdbcTemplate jdbcTemplate) {
        return new AgencyAnswers(Agency.fromKey(agency), cases, outbox, meters, jdbcTemplate);
    }

    @Bean
    WithdrawalHandling withdrawalHandling(DecisionPolicy policy, AgencyCases cases, AgencyAnswers answers) {
        return new WithdrawalHandling(policy, cases, answers);
    }

    @Bean
    ReturnHandling returnHandling(DecisionPolicy policy, AgencyCases cases, AgencyAnswers answers) {
        return new ReturnHandling(policy, cases, answers);
    }

    @Bean
    AgencyIntake agencyIntake(DecisionPolicy policy, AgencyCases cases, AgencyAnswers answers, WithdrawalHandling withdrawals,
                              ReturnHandling returns, MeterRegistry meters, DecisionProperties settings, Locks locks) {
        return new AgencyIntake(policy, cases, answers, withdrawals, returns, meters, settings, locks);
    }

    @Bean
    DeferredDecisions deferredDecisions(AgencyIntake intake, AgencyCases cases, AgencyAnswers answers, TransactionTemplate tx,
                                        DecisionProperties settings, MeterRegistry meters) {
        return new DeferredDecisions(intake, cases, answers, tx, settings, meters);
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
