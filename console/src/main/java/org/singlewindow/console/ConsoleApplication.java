package org.singlewindow.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The web console: pages for the people who use the window, behind the gateway at {@code /}. A
 * backend-for-frontend: it logs people in through the realm (authorization code with PKCE), keeps their
 * tokens in the server-side session (the browser holds only an {@code HttpOnly} session cookie) and calls the
 * API through the gateway with them, as any other client does.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConsoleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsoleApplication.class, args);
    }
}
