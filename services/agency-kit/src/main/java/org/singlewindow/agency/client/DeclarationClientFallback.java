package org.singlewindow.agency.client;

import feign.FeignException;
import org.singlewindow.kit.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.openfeign.FallbackFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Fails loudly: an unknown declaration is a 404 for the caller; anything else (declaration service
 * down, breaker open, no token obtainable, token refused) is a 503 naming the cause.
 */
@Component
public class DeclarationClientFallback implements FallbackFactory<DeclarationClient> {

    private static final Logger log = LoggerFactory.getLogger(DeclarationClientFallback.class);

    @Override
    public DeclarationClient create(Throwable cause) {
        return id -> {
            if (cause instanceof FeignException.NotFound) {
                throw ApiException.notFound("declaration " + id);
            }
            log.warn("window status of {} unavailable", id, cause);
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Declaration service unavailable",
                    "the window status could not be read: " + describe(cause), List.of());
        };
    }

    /** What the caller may know: the kind of failure, never internal addresses (those go to the log). */
    private static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof OAuth2AuthorizationException) {
                return "this service could not obtain its client-credentials token (credentials refused or issuer unreachable)";
            }
        }
        if (cause instanceof FeignException feign && feign.status() > 0) {
            return "the declaration service answered " + feign.status();
        }
        return "the declaration service is unreachable, too slow, or its circuit breaker is open";
    }
}
