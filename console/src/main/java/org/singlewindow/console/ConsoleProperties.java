package org.singlewindow.console;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;

/**
 * @param gatewayUrl where the console calls the API (the gateway, as seen from the console)
 */
@ConfigurationProperties("sw.console")
public record ConsoleProperties(URI gatewayUrl) {

    public ConsoleProperties {
        if (gatewayUrl == null) {
            gatewayUrl = URI.create("http://127.0.0.1:8080");
        }
    }
}
