package org.singlewindow.declaration;

import org.singlewindow.contract.reference.PartyRegister;
import org.singlewindow.kit.Deployment;
import org.singlewindow.kit.reference.Parties;
import org.singlewindow.kit.reference.ReferenceData;
import org.singlewindow.kit.security.AccessRules;
import org.singlewindow.identity.Roles;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.context.annotation.Configuration;

/**
 * Who may call what here (the kit adds public health and OpenAPI, admin-only admin paths, deny-all), and
 * the party register that says which codes a caller may declare with.
 */
@Configuration(proxyBeanMethods = false)
class DeclarationAccess {

    @Bean
    AccessRules declarationAccessRules() {
        return requests -> requests
                .requestMatchers("/api/v1/declarations", "/api/v1/declarations/**").hasRole(Roles.ENTERPRISE)
                .requestMatchers("/api/v1/subscriptions", "/api/v1/subscriptions/**").hasRole(Roles.ENTERPRISE)
                .requestMatchers("/api/v1/ceb/**").hasRole(Roles.ENTERPRISE)
                .requestMatchers("/internal/v1/**").hasRole(Roles.PLATFORM_SERVICE);
    }

    @Bean
    ReferenceData<PartyRegister> partyRegister(JdbcClient jdbc, @Value("${sw.env}") String env) {
        return new ReferenceData<>(new Parties(Deployment.isSandbox(env)), jdbc);
    }
}
