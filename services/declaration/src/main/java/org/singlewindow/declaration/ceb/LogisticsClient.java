package org.singlewindow.declaration.ceb;

import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

import java.util.Map;

/**
 * The logistics service's internal API, which takes what arrives at the window's CEB door for it (an arrival record,
 * a delivery), called with this service's client-credentials token (role {@code platform-service}). Answers are the
 * logistics service's JSON, or its problem as a {@code FeignException}. Timeouts:
 * {@code spring.cloud.openfeign.client.config.logistics.*}; breaker: Resilience4j instance {@code logistics}.
 */
@FeignClient(name = "logistics", url = "${sw.services.logistics}")
public interface LogisticsClient {

    @PostMapping(path = "/internal/v1/logistics/arrivals", consumes = "application/json")
    String arrival(@RequestBody Map<String, Object> sent);

    @PostMapping(path = "/internal/v1/logistics/waybills/{logisticsNo}/events", consumes = "application/json")
    String event(@PathVariable("logisticsNo") String logisticsNo, @RequestBody Map<String, Object> sent);
}
