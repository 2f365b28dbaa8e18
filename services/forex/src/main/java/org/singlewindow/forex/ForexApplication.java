package org.singlewindow.forex;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The forex agency service: payments verified against the order and the register of payment firms,
 * converted to USD at the day's rate from an external provider, counted against the per-transaction and
 * per-person annual caps. Intake, acknowledgement and dead-lettering come from the service kit.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ForexApplication {

    public static void main(String[] args) {
        SpringApplication.run(ForexApplication.class, args);
    }
}
