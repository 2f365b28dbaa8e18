package org.singlewindow.contract.reference;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.reference.PartyRegister.Role;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartyRegisterTest {

    private final PartyRegister sandbox = PartyRegister.parse(PartyRegister.sandboxDocument());

    @Test
    void aCallerMayUseItsOwnCodesAndThoseOfPartiesThatAuthorisedIt() {
        // enterprise-a (4101960005) declares for the demo platform, seller, payment and logistics firms
        assertThat(sandbox.mayActAs("4101960005", "4101960001", Role.E_COMMERCE_PLATFORM)).isTrue();
        assertThat(sandbox.mayActAs("4101960005", "4101960002", Role.E_COMMERCE_ENTERPRISE)).isTrue();
        assertThat(sandbox.mayActAs("4101960005", "3101960003", Role.PAYMENT_FIRM)).isTrue();
        assertThat(sandbox.mayActAs("4101960005", "4101960004", Role.LOGISTICS_FIRM)).isTrue();
        // enterprise-b sells its own goods; the seller 4101960002 did not authorise it
        assertThat(sandbox.mayActAs("4101960099", "4101960099", Role.E_COMMERCE_ENTERPRISE)).isTrue();
        assertThat(sandbox.mayActAs("4101960099", "4101960002", Role.E_COMMERCE_ENTERPRISE)).isFalse();
        // a code in a role it is not registered in, an unknown code, no caller
        assertThat(sandbox.mayActAs("4101960005", "4101960002", Role.E_COMMERCE_PLATFORM)).isFalse();
        assertThat(sandbox.mayActAs("4101960005", "9999999999", Role.E_COMMERCE_PLATFORM)).isFalse();
        assertThat(sandbox.mayActAs(null, "4101960001", Role.E_COMMERCE_PLATFORM)).isFalse();
    }

    @Test
    void aPartyRegistersTheCertificatesItSignsWithAndMayRequireSigning() {
        String certificate = org.singlewindow.contract.CebSamples.Signer.generate("Example").registered();
        // an SM2 certificate, as e-port's current cards hold (the JDK alone cannot read one)
        String sm2 = org.singlewindow.contract.CebSamples.Signer.generateSm2("Example SM2").registered();
        String document = new String(PartyRegister.sandboxDocument(), StandardCharsets.UTF_8)
                .replace("\"warehouses\": [\"ZZBW01\"]", "\"warehouses\": [\"ZZBW01\"], \"requireSigned\": true, "
                        + "\"certificates\": [\"-----BEGIN CERTIFICATE-----\\n" + certificate + "\\n-----END CERTIFICATE-----\", \""
                        + sm2 + "\"]");
        PartyRegister.Party agent = PartyRegister.parse(document.getBytes(StandardCharsets.UTF_8)).party("4101960005").orElseThrow();
        assertThat(agent.requireSigned()).isTrue();
        assertThat(agent.x509Certificates()).hasSize(2);
        assertThat(agent.x509Certificates().getFirst().getSubjectX500Principal().getName()).isEqualTo("CN=Example");
        assertThat(agent.x509Certificates().get(1).getSigAlgOID()).isEqualTo("1.2.156.10197.1.501");
        // others are not required to sign and have no certificate
        assertThat(sandbox.party("4101960001").orElseThrow().requireSigned()).isFalse();

        assertThatThrownBy(() -> PartyRegister.parse(document.replace(certificate, "bm90IGEgY2VydGlmaWNhdGU=")
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidReferenceData.class).hasMessageContaining("certificates[0] is not an X.509 certificate");
        String noCertificate = new String(PartyRegister.sandboxDocument(), StandardCharsets.UTF_8)
                .replace("\"warehouses\": [\"ZZBW01\"]", "\"warehouses\": [\"ZZBW01\"], \"requireSigned\": true");
        assertThatThrownBy(() -> PartyRegister.parse(noCertificate.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidReferenceData.class).hasMessageContaining("requireSigned needs at least one certificate");
    }

    @Test
    void warehousesHaveOneOperator() {
        assertThat(sandbox.operatorOf("ZZBW01")).hasValue("4101960005");
        assertThat(sandbox.operatorOf("LYBW01")).hasValue("4101960099");
        assertThat(sandbox.operatorOf("NOWHERE")).isEmpty();
    }

    @Test
    void aSupervisedSiteHasOneOperatorAndIsNoBondedWarehouse() {
        assertThat(sandbox.operatorOfSite("ZZKJ01")).hasValue("4101960005");
        assertThat(sandbox.operatorOfSite("ZZBW01")).isEmpty();
        assertThat(sandbox.operatorOf("ZZKJ01")).isEmpty();
        String document = new String(PartyRegister.sandboxDocument(), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PartyRegister.parse(document.replace("\"sites\": [\"ZZKJ01\"]", "\"sites\": [\"ZZBW01\"]")
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidReferenceData.class).hasMessageContaining(".sites: ZZBW01 already has an operator");
        assertThatThrownBy(() -> PartyRegister.parse(document.replace("\"roles\": [\"PAYMENT_FIRM\"], \"authorisedAgents\": [\"4101960099\"]",
                        "\"roles\": [\"PAYMENT_FIRM\"], \"sites\": [\"LYKJ01\"], \"authorisedAgents\": [\"4101960099\"]")
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidReferenceData.class).hasMessageContaining(".sites needs the role WAREHOUSE_OPERATOR");
    }

    @Test
    void inADirectImportAnExpressOperatorAPartyAuthorisedMaySendItsDocuments() {
        // its own, always; enterprise-a is authorised by the payment firm but is no express operator
        assertThat(sandbox.entrusted("3101960003", "3101960003")).isTrue();
        assertThat(sandbox.entrusted("4101960005", "3101960003")).isFalse();
        PartyRegister express = PartyRegister.parse(new String(PartyRegister.sandboxDocument(), StandardCharsets.UTF_8)
                .replace("\"roles\": [\"DECLARING_AGENT\", \"WAREHOUSE_OPERATOR\"]",
                        "\"roles\": [\"DECLARING_AGENT\", \"WAREHOUSE_OPERATOR\", \"LOGISTICS_FIRM\"]").getBytes(StandardCharsets.UTF_8));
        assertThat(express.entrusted("4101960005", "3101960003")).isTrue();
        assertThat(express.entrusted("4101960005", "3101960010")).isFalse(); // that payment firm authorised another
        assertThat(express.entrusted(null, "3101960003")).isFalse();
    }

    @Test
    void aBondedAccountIsKeptInOneOfItsOperatorsWarehouses() {
        assertThat(sandbox.warehouseOfAccount("T4606W000001")).hasValue(java.util.Map.entry("ZZBW01", "4101960005"));
        assertThat(sandbox.warehouseOfAccount("T9999W999999")).isEmpty();
        String document = new String(PartyRegister.sandboxDocument(), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PartyRegister.parse(document.replace("{\"emsNo\": \"T4606W000001\", \"warehouse\": \"ZZBW01\"}",
                "{\"emsNo\": \"T4606W000001\", \"warehouse\": \"LYBW01\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidReferenceData.class).hasMessageContaining("must keep its goods in one of the party's own warehouses");
        assertThatThrownBy(() -> PartyRegister.parse(document.replace("\"T4611W000002\"", "\"T4606W000001\"")
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidReferenceData.class).hasMessageContaining("T4606W000001 is registered twice");
    }

    @Test
    void theEmptyRegisterKnowsNoOne() {
        PartyRegister empty = PartyRegister.empty();
        assertThat(empty.holds("4101960005", Role.DECLARING_AGENT)).isFalse();
        assertThat(empty.operatorOf("ZZBW01")).isEmpty();
    }

    @Test
    void aBrokenRegisterIsRefusedNamingEveryProblem() {
        String json = """
                {"kind": "party-register", "version": "x", "effectiveFrom": "2026-01-01", "source": "test",
                 "parties": [
                   {"code": "1234", "name": "short code", "roles": ["E_COMMERCE_PLATFORM"]},
                   {"code": "4101960001", "name": "", "roles": []},
                   {"code": "4101960001", "name": "twice", "roles": ["PAYMENT_FIRM"], "authorisedAgents": ["4101960002"]},
                   {"code": "4101960003", "name": "not an operator", "roles": ["LOGISTICS_FIRM"], "warehouses": ["W1"]},
                   {"code": "4101960004", "name": "op", "roles": ["WAREHOUSE_OPERATOR"], "warehouses": ["W2"]},
                   {"code": "4101960005", "name": "op too", "roles": ["WAREHOUSE_OPERATOR"], "warehouses": ["W2"]}
                 ]}""";
        assertThatThrownBy(() -> PartyRegister.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidReferenceData.class, e -> assertThat(e.problems()).anySatisfy(p ->
                                assertThat(p).startsWith("parties[0].code"))
                        .anySatisfy(p -> assertThat(p).startsWith("parties[1].name"))
                        .anySatisfy(p -> assertThat(p).startsWith("parties[1].roles"))
                        .anySatisfy(p -> assertThat(p).contains("appears twice"))
                        .anySatisfy(p -> assertThat(p).contains("4101960002 is not a registered declaring agent"))
                        .anySatisfy(p -> assertThat(p).startsWith("parties[3].warehouses needs the role"))
                        .anySatisfy(p -> assertThat(p).contains("W2 already has an operator")));
        assertThatThrownBy(() -> PartyRegister.parse("{\"kind\": \"hs-tariff\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidReferenceData.class);
    }
}
