package org.singlewindow.tax;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The tax agency service. Intake, acknowledgement and dead-lettering come from the service kit. */
@SpringBootApplication
public class TaxApplication {

    public static void main(String[] args) {
        SpringApplication.run(TaxApplication.class, args);
    }
}
