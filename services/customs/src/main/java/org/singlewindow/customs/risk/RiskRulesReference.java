package org.singlewindow.customs.risk;

import org.singlewindow.kit.reference.ReferenceData;
import org.singlewindow.kit.reference.ReferenceKind;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The risk rules as reference data: bundled version, replaceable by an administrator. */
@Configuration(proxyBeanMethods = false)
public class RiskRulesReference implements ReferenceKind<RiskRules> {

    @Override
    public String name() {
        return "customs-risk-rules";
    }

    @Override
    public byte[] bundled() {
        try (InputStream in = RiskRulesReference.class.getResourceAsStream("/reference/customs-risk-rules.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public RiskRules parse(byte[] json) {
        return RiskRules.parse(json);
    }

    @Override
    public Info describe(RiskRules document) {
        return new Info(document.version(), document.effectiveFrom(), document.source());
    }

    @Bean
    ReferenceData<RiskRules> riskRules(JdbcClient jdbc) {
        return new ReferenceData<>(this, jdbc);
    }
}
