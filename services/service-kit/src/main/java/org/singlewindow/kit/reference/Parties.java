package org.singlewindow.kit.reference;

import org.singlewindow.contract.Json;
import org.singlewindow.contract.reference.PartyRegister;

/**
 * The contract's party register as a kind of reference data. Bundled: the sandbox's demo register in
 * the sandbox, an empty one elsewhere (nothing may be filed until the deployment's register is loaded).
 * A service that checks codes against it declares {@code new ReferenceData<>(new Parties(sandbox), jdbc)}.
 */
public final class Parties implements ReferenceKind<PartyRegister> {

    private final boolean sandbox;

    public Parties(boolean sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public String name() {
        return PartyRegister.KIND;
    }

    @Override
    public byte[] bundled() {
        return sandbox ? PartyRegister.sandboxDocument() : Json.mapper().writeValueAsBytes(PartyRegister.empty());
    }

    @Override
    public PartyRegister parse(byte[] json) {
        return PartyRegister.parse(json);
    }

    @Override
    public Info describe(PartyRegister document) {
        return new Info(document.version(), document.effectiveFrom(), document.source());
    }
}
