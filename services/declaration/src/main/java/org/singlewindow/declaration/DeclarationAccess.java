package org.singlewindow.declaration;

import org.singlewindow.kit.security.AccessRules;
import org.singlewindow.kit.security.Roles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Who may call what here (the kit adds public health and OpenAPI, admin-only admin paths, deny-all). */
@Configuration(proxyBeanMethods = false)
class DeclarationAccess {

    @Bean
    AccessRules declarationAccessRules() {
        return requests -> requests
                .requestMatchers("/api/v1/declarations", "/api/v1/declarations/**").hasRole(Roles.ENTERPRISE)
                .requestMatchers("/internal/v1/**").hasRole(Roles.PLATFORM_SERVICE);
    }
}
