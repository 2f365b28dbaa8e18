package org.singlewindow.kit.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.singlewindow.contract.Headers;
import org.singlewindow.kit.messaging.Logging;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Takes the correlation id the gateway set (or makes one), puts it in the log context and echoes it
 * in the response. Messages written to the outbox while handling the request carry it on.
 */
public class CorrelationIdFilter extends OncePerRequestFilter {

    public static final String ATTRIBUTE = CorrelationIdFilter.class.getName() + ".id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = request.getHeader(Headers.HTTP_CORRELATION_ID);
        if (id == null || !SAFE.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
        }
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(Headers.HTTP_CORRELATION_ID, id);
        MDC.put(Logging.CORRELATION_ID, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(Logging.CORRELATION_ID);
            // a handler that works on one declaration puts its id in the log context; it ends with the request
            MDC.remove(Logging.DECLARATION_ID);
        }
    }
}
