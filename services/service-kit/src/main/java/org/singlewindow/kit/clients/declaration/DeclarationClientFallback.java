package org.singlewindow.kit.clients.declaration;

import feign.FeignException;
import org.singlewindow.kit.web.ApiException;
import org.springframework.cloud.openfeign.FallbackFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Fails loudly: an unknown declaration is a 404 for the caller; anything else (declaration service
 * down, breaker open, no token obtainable, token refused) is a 503 naming the cause.
 */
@Component
public class DeclarationClientFallback implements FallbackFactory<DeclarationClient> {

    @Override
    public DeclarationClient create(Throwable cause) {
        return id -> {
            if (cause instanceof FeignException.NotFound) {
                throw ApiException.notFound("declaration " + id);
            }
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Declaration service unavailable",
                    "the window status could not be read: " + describe(cause), List.of());
        };
    }

    private static String describe(Throwable cause) {
        if (cause instanceof FeignException feign && feign.status() > 0) {
            return "the declaration service answered " + feign.status();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
