package org.singlewindow.tax.assessment;

import org.singlewindow.contract.reference.TariffTable;
import org.singlewindow.kit.reference.ReferenceData;
import org.singlewindow.kit.reference.ReferenceKind;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The HS tariff as reference data of the tax service: bundled version, replaceable by an administrator. */
@Configuration(proxyBeanMethods = false)
public class TariffReference implements ReferenceKind<TariffTable> {

    @Override
    public String name() {
        return "hs-tariff";
    }

    @Override
    public byte[] bundled() {
        try (InputStream in = TariffTable.class.getResourceAsStream(TariffTable.BUNDLED)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public TariffTable parse(byte[] json) {
        return TariffTable.parse(json);
    }

    @Override
    public Info describe(TariffTable document) {
        return new Info(document.version(), document.effectiveFrom(), document.source());
    }

    @Bean
    ReferenceData<TariffTable> tariff(JdbcClient jdbc) {
        return new ReferenceData<>(this, jdbc);
    }
}
