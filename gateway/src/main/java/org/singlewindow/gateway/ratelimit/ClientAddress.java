package org.singlewindow.gateway.ratelimit;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The address of the client a request comes from, for limits kept per client.
 *
 * <p>It is the TCP peer, unless the peer is a trusted proxy: then the {@code X-Forwarded-For} hops (or, without
 * that header, the {@code for=} parameters of {@code Forwarded}) are read from the right, trusted proxies skipped,
 * and the first address that is not a trusted proxy is the client — the address the last trusted proxy saw. A
 * forwarded header from anyone else is ignored: a client cannot choose whose limit it uses. Trusted proxies are
 * Spring Cloud Gateway's own setting, {@code spring.cloud.gateway.server.webflux.trusted-proxies} (a regular
 * expression of their addresses; unset, none), the one its forwarded-header filters obey too.
 */
final class ClientAddress {

    private static final int LONGEST = 64;

    private final Pattern trusted;

    /** @param trustedProxies a regular expression of the proxies' addresses, or null or blank for none */
    ClientAddress(String trustedProxies) {
        this.trusted = trustedProxies == null || trustedProxies.isBlank() ? null : Pattern.compile(trustedProxies);
    }

    String of(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        String peer = remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
        return of(peer, request.getHeaders());
    }

    String of(String peer, HttpHeaders headers) {
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> hops = hops(headers);
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!isTrusted(hops.get(i))) {
                return hops.get(i);
            }
        }
        // every hop a trusted proxy (or none forwarded): the farthest one is the client
        return hops.isEmpty() ? peer : hops.get(0);
    }

    private boolean isTrusted(String address) {
        return trusted != null && trusted.matcher(address).matches();
    }

    /** The forwarded addresses, nearest the client first, each without port or brackets. */
    private static List<String> hops(HttpHeaders headers) {
        List<String> hops = new ArrayList<>();
        List<String> forwardedFor = headers.getValuesAsList("X-Forwarded-For");
        if (!forwardedFor.isEmpty()) {
            forwardedFor.forEach(hop -> hops.add(address(hop)));
            return hops;
        }
        for (String element : headers.getValuesAsList("Forwarded")) {
            for (String pair : element.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).trim().equalsIgnoreCase("for")) {
                    hops.add(address(pair.substring(equals + 1)));
                }
            }
        }
        return hops;
    }

    /** {@code 203.0.113.7}, {@code 203.0.113.7:4711}, {@code "[2001:db8::1]:4711"} → the address alone, bounded. */
    static String address(String hop) {
        String value = hop.trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            value = close > 0 ? value.substring(1, close) : value.substring(1);
        } else if (value.indexOf(':') == value.lastIndexOf(':') && value.indexOf(':') > 0) {
            value = value.substring(0, value.indexOf(':'));   // IPv4 with a port; a bare IPv6 has several colons
        }
        value = value.toLowerCase(Locale.ROOT);
        return value.length() > LONGEST ? value.substring(0, LONGEST) : value;
    }
}
