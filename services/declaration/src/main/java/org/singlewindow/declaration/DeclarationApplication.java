package org.singlewindow.declaration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The single window: one submission, fanned out to every agency, one consolidated status. */
@SpringBootApplication
public class DeclarationApplication {

    public static void main(String[] args) {
        SpringApplication.run(DeclarationApplication.class, args);
    }
}
