package org.singlewindow.gateway;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every request that arrives on a kept-alive connection is read and answered, however soon after the previous
 * answer it follows.
 *
 * <p>Reactor Netty 1.3 as this project gets it (reactor/reactor-netty#4361, fixed by #4347 in a release later
 * than the 1.3.8 Maven Central serves here) queues an HTTP/1.1 request that arrives before the previous request's
 * operations have terminated, and can then stop reading the connection: the request is answered only when
 * the client gives up and closes it. A client that sends its next request the moment an answer arrives meets
 * it — seen as a forged-token request left without an answer for 30 s, after the gateway's own quick 429.
 * Reactor Netty's {@code reactor.netty.http.server.lastFlushWhenNoRead} terminates the previous operations
 * before such a request is looked at, so it is dispatched at once instead of queued. Reactor Netty reads the
 * setting when its server handler class is first used, which is the first connection accepted: this sets it
 * while the server is being built, before it listens. {@code GatewaySecurityIT} sends thousands of requests
 * back to back to show every one answered. Remove this once the gateway runs on a Reactor Netty with the fix.
 */
@Configuration(proxyBeanMethods = false)
class KeepAliveReads {

    static final String LAST_FLUSH_WHEN_NO_READ = "reactor.netty.http.server.lastFlushWhenNoRead";

    @Bean
    NettyServerCustomizer everyKeptAliveRequestIsRead() {
        return server -> {
            System.setProperty(LAST_FLUSH_WHEN_NO_READ, "true");
            return server;
        };
    }
}
