package org.singlewindow.gateway;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code /v3/api-docs/<service>} → that service's {@code /v3/api-docs}, for the gateway's Swagger UI. */
@Configuration
class OpenApiRoutes {

    @Bean
    RouteLocator openApiRouteLocator(RouteLocatorBuilder builder, ServiceAddresses addresses) {
        RouteLocatorBuilder.Builder routes = builder.routes();
        addresses.services().forEach((name, uri) -> routes.route("openapi-" + name, r -> r
                .path("/v3/api-docs/" + name)
                .filters(f -> f.setPath("/v3/api-docs"))
                .uri(uri)));
        return routes.build();
    }
}
