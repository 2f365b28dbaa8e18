package org.singlewindow.console;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;

/**
 * @param gatewayUrl where the console calls the API (the gateway, as seen from the console)
 * @param grafanaUrl where administrators find the dashboards (a link; empty: none)
 */
@ConfigurationProperties("sw.console")
public record ConsoleProperties(URI gatewayUrl, String grafanaUrl) {

    public ConsoleProperties {
        if (gatewayUrl == null) {
            gatewayUrl = URI.create("http://127.0.0.1:8080");
        }
        grafanaUrl = grafanaUrl == null ? "" : grafanaUrl;
    }
}
