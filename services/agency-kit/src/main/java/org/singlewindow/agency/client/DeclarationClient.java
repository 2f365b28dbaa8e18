package org.singlewindow.agency.client;

import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The declaration service's internal API, called with this service's client-credentials token
 * (role {@code platform-service}). Timeouts: {@code spring.cloud.openfeign.client.config.declaration.*};
 * breaker: Resilience4j instance {@code declaration}.
 */
@FeignClient(name = "declaration", url = "${sw.services.declaration}", fallbackFactory = DeclarationClientFallback.class)
public interface DeclarationClient {

    /** The consolidated view of one declaration across all agencies. */
    record WindowStatus(UUID id, String status, OffsetDateTime submittedAt, OffsetDateTime finalAt,
                        List<AgencyDecision> agencies) {
    }

    record AgencyDecision(String agency, boolean acknowledged, String decision, Integer statusCode, String reasonCode) {
    }

    @GetMapping("/internal/v1/declarations/{id}/window-status")
    WindowStatus windowStatus(@PathVariable("id") UUID id);
}
