package org.singlewindow.console;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;

/**
 * @param gatewayUrl where the console calls the API (the gateway, as seen from the console)
 * @param grafanaUrl where operators find the platform's dashboards (a link on their pages); none if unset
 */
@ConfigurationProperties("sw.console")
public record ConsoleProperties(URI gatewayUrl, URI grafanaUrl) {

    public ConsoleProperties {
        if (gatewayUrl == null) {
            gatewayUrl = URI.create("http://127.0.0.1:8080");
        }
    }
}
