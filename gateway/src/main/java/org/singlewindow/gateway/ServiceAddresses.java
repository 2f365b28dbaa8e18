package org.singlewindow.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.util.Map;

/** Where each service listens ({@code sw.services.<name>}). */
@ConfigurationProperties("sw")
public record ServiceAddresses(Map<String, URI> services) {
}
