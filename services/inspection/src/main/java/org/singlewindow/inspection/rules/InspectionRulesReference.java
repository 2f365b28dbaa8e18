package org.singlewindow.inspection.rules;

import org.singlewindow.kit.reference.ReferenceData;
import org.singlewindow.kit.reference.ReferenceKind;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The inspection rules as reference data: bundled version, replaceable by an administrator. */
@Configuration(proxyBeanMethods = false)
public class InspectionRulesReference implements ReferenceKind<InspectionRules> {

    @Override
    public String name() {
        return InspectionRules.KIND;
    }

    @Override
    public byte[] bundled() {
        try (InputStream in = InspectionRulesReference.class.getResourceAsStream("/reference/inspection-rules.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InspectionRules parse(byte[] json) {
        return InspectionRules.parse(json);
    }

    @Override
    public Info describe(InspectionRules document) {
        return new Info(document.version(), document.effectiveFrom(), document.source());
    }

    @Bean
    ReferenceData<InspectionRules> inspectionRules(JdbcClient jdbc) {
        return new ReferenceData<>(this, jdbc);
    }
}
