package org.singlewindow.tax;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The tax agency service: the comprehensive tax of every declaration, the consumers' annual ledger,
 * the enterprises' guarantee accounts and tax bills. Intake, acknowledgement and dead-lettering come
 * from the service kit.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TaxApplication {

    public static void main(String[] args) {
        SpringApplication.run(TaxApplication.class, args);
    }
}
