package org.singlewindow.forex.firms;

import org.singlewindow.contract.reference.InvalidReferenceData;
import org.singlewindow.contract.reference.ReferenceHeader;
import org.singlewindow.kit.reference.ReferenceData;
import org.singlewindow.kit.reference.ReferenceKind;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** The register of payment firms allowed to carry cross-border payments, as reference data. */
@Configuration(proxyBeanMethods = false)
public class PaymentFirms implements ReferenceKind<PaymentFirms.Register> {

    public record Firm(String code, String name, LocalDate registeredFrom, LocalDate registeredUntil) {
        public boolean registeredOn(LocalDate day) {
            return !day.isBefore(registeredFrom) && (registeredUntil == null || !day.isAfter(registeredUntil));
        }
    }

    public record Register(String kind, String version, LocalDate effectiveFrom, String source, List<Firm> firms) {
        public Optional<Firm> find(String code) {
            return firms.stream().filter(f -> f.code().equals(code)).findFirst();
        }
    }

    @Override
    public String name() {
        return "forex-payment-firms";
    }

    @Override
    public byte[] bundled() {
        try (InputStream in = PaymentFirms.class.getResourceAsStream("/reference/forex-payment-firms.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Register parse(byte[] json) {
        Register register = ReferenceHeader.read(json, Register.class, "a payment-firm register");
        List<String> problems = new ArrayList<>();
        ReferenceHeader.check(problems, name(), register.kind(), register.version(), register.effectiveFrom(), register.source());
        if (register.firms() == null) {
            problems.add("firms is required");
        } else {
            var codes = new HashSet<String>();
            for (int i = 0; i < register.firms().size(); i++) {
                Firm f = register.firms().get(i);
                if (f.code() == null || !f.code().matches("[0-9A-Z]{10}") || !codes.add(f.code())) {
                    problems.add("firms[" + i + "].code must be unique, 10 digits or capital letters");
                }
                if (f.name() == null || f.name().isBlank()) {
                    problems.add("firms[" + i + "].name is required");
                }
                if (f.registeredFrom() == null || (f.registeredUntil() != null && f.registeredUntil().isBefore(f.registeredFrom()))) {
                    problems.add("firms[" + i + "] needs registeredFrom, and registeredUntil (if given) not before it");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidReferenceData(problems);
        }
        return register;
    }

    @Override
    public Info describe(Register document) {
        return new Info(document.version(), document.effectiveFrom(), document.source());
    }

    @Bean
    ReferenceData<Register> paymentFirmRegister(JdbcClient jdbc) {
        return new ReferenceData<>(this, jdbc);
    }
}
