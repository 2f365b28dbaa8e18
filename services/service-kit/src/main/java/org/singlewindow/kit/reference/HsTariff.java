package org.singlewindow.kit.reference;

import org.singlewindow.contract.reference.TariffTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The contract's HS tariff as a kind of reference data. A service that decides by it declares
 * {@code new ReferenceData<>(new HsTariff(), jdbc)} as a bean.
 */
public final class HsTariff implements ReferenceKind<TariffTable> {

    @Override
    public String name() {
        return "hs-tariff";
    }

    @Override
    public byte[] bundled() {
        try (InputStream in = TariffTable.class.getResourceAsStream(TariffTable.BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(TariffTable.BUNDLED + " is missing from the classpath");
            }
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

    /** The tariff as an administrator exports it from the published tables ({@link TariffTable#fromCsv}). */
    @Override
    public byte[] fromCsv(byte[] csv, java.nio.charset.Charset charset, Info header) {
        return TariffTable.fromCsv(csv, charset, header.version(), header.effectiveFrom(), header.source());
    }
}
