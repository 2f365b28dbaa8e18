package org.singlewindow.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The per-address limit on requests that fail authentication ({@code sw.gateway.anonymous-limit.*}).
 *
 * @param requests failed authentications an address may cause per window (120)
 * @param window   the window (60 s)
 */
@ConfigurationProperties("sw.gateway.anonymous-limit")
public record AnonymousLimitProperties(int requests, Duration window) {

    public AnonymousLimitProperties {
        requests = requests > 0 ? requests : 120;
        window = window == null || window.isZero() || window.isNegative() ? Duration.ofSeconds(60) : window;
    }
}
