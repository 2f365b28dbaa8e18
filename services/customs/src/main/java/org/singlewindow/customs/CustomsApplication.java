package org.singlewindow.customs;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The customs agency service. Intake, acknowledgement and dead-lettering come from the service kit. */
@SpringBootApplication
public class CustomsApplication {

    public static void main(String[] args) {
        SpringApplication.run(CustomsApplication.class, args);
    }
}
