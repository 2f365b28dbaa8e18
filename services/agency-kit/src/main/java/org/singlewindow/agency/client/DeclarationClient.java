package org.singlewindow.agency.client;

import org.singlewindow.contract.WindowStatus;
import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import java.util.UUID;

/**
 * The declaration service's internal API, called with this service's client-credentials token
 * (role {@code platform-service}). Timeouts: {@code spring.cloud.openfeign.client.config.declaration.*};
 * breaker: Resilience4j instance {@code declaration}.
 */
@FeignClient(name = "declaration", url = "${sw.services.declaration}", fallbackFactory = DeclarationClientFallback.class)
public interface DeclarationClient {

    @GetMapping("/internal/v1/declarations/{id}/window-status")
    /** The consolidated view of one declaration across all agencies. */
    WindowStatus windowStatus(@PathVariable("id") UUID id);
}
