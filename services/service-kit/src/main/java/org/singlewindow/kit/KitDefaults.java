package org.singlewindow.kit;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Adds {@code sw-kit-defaults.properties} as the lowest-precedence property source of every service. */
public class KitDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            environment.getPropertySources().addLast(
                    new ResourcePropertySource("sw-kit-defaults", new ClassPathResource("sw-kit-defaults.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sw-kit-defaults.properties", e);
        }
    }
}
