package org.singlewindow.contract.reference;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reference data: the party register — which enterprise holds which registered code and in which roles
 * (e-commerce platform, e-commerce enterprise, declaring agent, payment firm, logistics firm, bonded
 * warehouse or supervised site operator), which bonded warehouses and supervised sites each operator runs, and
 * which declaring agents each party has authorised to declare in its name (委托授权; in a direct import, 9610, an
 * authorised postal or express operator may also send the party's own documents). In the real channel each party files its own
 * document and customs matches them; the single submission files them all at once, so the register is
 * what says that the caller may use each code of a declaration.
 * <p>
 * The sandbox's register is {@link #SANDBOX} (its demo enterprises); elsewhere no party is registered
 * until an administrator loads the deployment's register (admin API), so nothing is filed in the name
 * of a party that has not been registered.
 *
 * @param kind          always {@code party-register}
 * @param version       the document's version
 * @param effectiveFrom the day it applies from
 * @param source        where the registrations come from
 * @param parties       one per registered code
 */
public record PartyRegister(String kind, String version, LocalDate effectiveFrom, String source, List<Party> parties) {

    public static final String KIND = "party-register";
    public static final String SANDBOX = "/org/singlewindow/contract/reference/party-register-sandbox.json";

    /** The roles a party is registered in. */
    public enum Role {
        E_COMMERCE_PLATFORM, E_COMMERCE_ENTERPRISE, DECLARING_AGENT, PAYMENT_FIRM, LOGISTICS_FIRM, WAREHOUSE_OPERATOR
    }

    /**
     * @param code             the customs registration code (10 digits or capital letters)
     * @param name             the registered name
     * @param roles            what the party is registered as
     * @param warehouses       bonded warehouses the party operates (its role includes WAREHOUSE_OPERATOR)
     * @param authorisedAgents declaring agents the party has authorised to declare in its name
     * @param certificates     the X.509 certificates the party signs its CEB XML messages with (base64 DER, as in
     *                         a PEM file's body); a signed message from the party must verify against one of them
     * @param requireSigned    whether the party's CEB XML messages must be signed (an unsigned one is refused)
     * @param bondedAccounts   the bonded accounts (账册, a CEB621's {@code emsNo}) the warehouse operator keeps, each
     *                         in one of its warehouses: a list that names its account and its zone enterprise
     *                         ({@code areaCode}) instead of the site ({@code loctNo}) leaves that warehouse
     * @param sites            supervised sites (监管作业场所) the party operates, where direct imports (9610) arrive: it
     *                         records their arrival (its role includes WAREHOUSE_OPERATOR)
     */
    public record Party(String code, String name, Set<Role> roles, List<String> warehouses, List<String> authorisedAgents,
                        List<String> certificates, Boolean requireSigned, List<BondedAccount> bondedAccounts,
                        List<String> sites) {

        public Party {
            roles = roles == null ? Set.of() : Set.copyOf(roles);
            warehouses = warehouses == null ? List.of() : List.copyOf(warehouses);
            authorisedAgents = authorisedAgents == null ? List.of() : List.copyOf(authorisedAgents);
            certificates = certificates == null ? List.of() : List.copyOf(certificates);
            requireSigned = Boolean.TRUE.equals(requireSigned);
            bondedAccounts = bondedAccounts == null ? List.of() : List.copyOf(bondedAccounts);
            sites = sites == null ? List.of() : List.copyOf(sites);
        }

        public Party(String code, String name, Set<Role> roles, List<String> warehouses, List<String> authorisedAgents) {
            this(code, name, roles, warehouses, authorisedAgents, List.of(), false, List.of(), List.of());
        }

        /** The registered certificates, decoded. */
        public List<X509Certificate> x509Certificates() {
            List<X509Certificate> decoded = new ArrayList<>(certificates.size());
            for (String certificate : certificates) {
                decoded.add(decode(certificate));
            }
            return decoded;
        }
    }

    /**
     * A bonded account (账册) of a warehouse operator.
     *
     * @param emsNo     the account's number, as a CEB621's {@code emsNo} names it (at most 30 characters)
     * @param warehouse the operator's warehouse the account's goods are kept in
     */
    public record BondedAccount(String emsNo, String warehouse) {
    }

    /**
     * Reads certificates: Bouncy Castle's, since the JDK's cannot read an SM2 certificate (the e-port's current
     * cards), whose curve and signature algorithm it does not know. An instance of its own, not installed.
     */
    private static final Provider CERTIFICATE_READER = new BouncyCastleProvider();

    /**
     * A certificate from its base64 DER (a PEM file's body; its BEGIN and END lines and whitespace are ignored):
     * RSA, EC or SM2.
     */
    public static X509Certificate decode(String certificate) {
        String body = certificate.replaceAll("-----(BEGIN|END) CERTIFICATE-----", "").replaceAll("\\s", "");
        try {
            if (CertificateFactory.getInstance("X.509", CERTIFICATE_READER)
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(body))) instanceof X509Certificate x509) {
                return x509;
            }
            throw new IllegalArgumentException("no certificate in it");
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an X.509 certificate in base64 DER: " + e.getMessage(), e);
        }
    }

    public PartyRegister {
        parties = parties == null ? List.of() : List.copyOf(parties);
    }

    /** A register with no party: what a deployment has until its own register is loaded. */
    public static PartyRegister empty() {
        return new PartyRegister(KIND, "none", LocalDate.of(2026, 1, 1),
                "no party registered yet: load this deployment's register (PUT /api/v1/admin/<service>/reference/party-register)",
                List.of());
    }

    /** The sandbox's demo register. */
    public static byte[] sandboxDocument() {
        try (InputStream in = PartyRegister.class.getResourceAsStream(SANDBOX)) {
            if (in == null) {
                throw new IllegalStateException(SANDBOX + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Party> party(String code) {
        return parties.stream().filter(p -> p.code().equals(code)).findFirst();
    }

    /**
     * Whether {@code caller} may use {@code code} in the given role: the code is registered in that role
     * and is the caller's own or belongs to a party that authorised the caller as its declaring agent.
     */
    public boolean mayActAs(String caller, String code, Role role) {
        if (caller == null || code == null) {
            return false;
        }
        return party(code).filter(p -> p.roles().contains(role))
                .filter(p -> p.code().equals(caller) || p.authorisedAgents().contains(caller))
                .isPresent();
    }

    /** Whether the party registered under {@code code} holds {@code role}. */
    public boolean holds(String code, Role role) {
        return code != null && party(code).filter(p -> p.roles().contains(role)).isPresent();
    }

    /** The operator of a bonded warehouse, if it is registered. */
    /** The warehouse a bonded account keeps its goods in, and its operator, if the account is registered. */
    public Optional<Map.Entry<String, String>> warehouseOfAccount(String emsNo) {
        if (emsNo == null) {
            return Optional.empty();
        }
        for (Party p : parties) {
            for (BondedAccount a : p.bondedAccounts()) {
                if (emsNo.equals(a.emsNo())) {
                    return Optional.of(Map.entry(a.warehouse(), p.code()));
                }
            }
        }
        return Optional.empty();
    }

    public Optional<String> operatorOf(String warehouseCode) {
        return parties.stream()
                .filter(p -> p.roles().contains(Role.WAREHOUSE_OPERATOR) && p.warehouses().contains(warehouseCode))
                .map(Party::code).findFirst();
    }

    /** The operator of a supervised site where direct imports arrive, if it is registered. */
    public Optional<String> operatorOfSite(String siteCode) {
        return parties.stream()
                .filter(p -> p.roles().contains(Role.WAREHOUSE_OPERATOR) && p.sites().contains(siteCode))
                .map(Party::code).findFirst();
    }

    /**
     * Whether, in a direct import (9610), {@code sender} may send a document of the party {@code code} in its place:
     * it is a postal or express operator (a registered logistics firm) the party has authorised (its recorded
     * entrustment, GACC 2018 No.194 item 8). A party's own document is always its own to send.
     */
    public boolean entrusted(String sender, String code) {
        if (sender == null || code == null) {
            return false;
        }
        return sender.equals(code) || holds(sender, Role.LOGISTICS_FIRM)
                && party(code).filter(p -> p.authorisedAgents().contains(sender)).isPresent();
    }

    /**
     * Read and check a register.
     *
     * @throws InvalidReferenceData naming every problem found
     */
    public static PartyRegister parse(byte[] json) {
        PartyRegister register = ReferenceHeader.read(json, PartyRegister.class, "a party register");
        List<String> problems = new ArrayList<>();
        ReferenceHeader.check(problems, KIND, register.kind(), register.version(), register.effectiveFrom(), register.source());
        Map<String, Integer> codes = new HashMap<>();
        Map<String, String> operators = new HashMap<>();
        java.util.Set<String> emsNos = new java.util.HashSet<>();
        for (int i = 0; i < register.parties().size(); i++) {
            Party p = register.parties().get(i);
            String at = "parties[" + i + "]";
            if (p == null) {
                problems.add(at + " is empty");
                continue;
            }
            if (p.code() == null || !p.code().matches("[0-9A-Z]{10}")) {
                problems.add(at + ".code must be 10 digits or capital letters (customs registration code)");
            } else if (codes.put(p.code(), i) != null) {
                problems.add(at + ".code " + p.code() + " appears twice");
            }
            if (p.name() == null || p.name().isBlank() || p.name().length() > 200) {
                problems.add(at + ".name is required (at most 200 characters)");
            }
            if (p.roles().isEmpty()) {
                problems.add(at + ".roles must name at least one role");
            }
            if (!p.warehouses().isEmpty() && !p.roles().contains(Role.WAREHOUSE_OPERATOR)) {
                problems.add(at + ".warehouses needs the role WAREHOUSE_OPERATOR");
            }
            for (String warehouse : p.warehouses()) {
                if (warehouse == null || !warehouse.matches("[0-9A-Za-z_-]{1,32}")) {
                    problems.add(at + ".warehouses: a warehouse code is 1 to 32 of A-Z a-z 0-9 _ -");
                } else if (operators.putIfAbsent(warehouse, String.valueOf(p.code())) != null) {
                    problems.add(at + ".warehouses: " + warehouse + " already has an operator");
                }
            }
            if (!p.sites().isEmpty() && !p.roles().contains(Role.WAREHOUSE_OPERATOR)) {
                problems.add(at + ".sites needs the role WAREHOUSE_OPERATOR");
            }
            for (String site : p.sites()) {
                if (site == null || !site.matches("[0-9A-Za-z_-]{1,32}")) {
                    problems.add(at + ".sites: a site code is 1 to 32 of A-Z a-z 0-9 _ -");
                } else if (operators.putIfAbsent(site, String.valueOf(p.code())) != null) {
                    problems.add(at + ".sites: " + site + " already has an operator");
                }
            }
            for (String agent : p.authorisedAgents()) {
                if (agent == null || !agent.matches("[0-9A-Z]{10}")) {
                    problems.add(at + ".authorisedAgents: a code is 10 digits or capital letters");
                }
            }
            for (int c = 0; c < p.certificates().size(); c++) {
                try {
                    decode(String.valueOf(p.certificates().get(c)));
                } catch (IllegalArgumentException e) {
                    problems.add(at + ".certificates[" + c + "] is " + e.getMessage());
                }
            }
            for (BondedAccount a : p.bondedAccounts()) {
                if (a == null || a.emsNo() == null || !a.emsNo().matches("[0-9A-Za-z_-]{1,30}")) {
                    problems.add(at + ".bondedAccounts: an emsNo is 1 to 30 of A-Z a-z 0-9 _ -");
                } else if (!emsNos.add(a.emsNo())) {
                    problems.add(at + ".bondedAccounts: " + a.emsNo() + " is registered twice");
                } else if (a.warehouse() == null || !p.warehouses().contains(a.warehouse())) {
                    problems.add(at + ".bondedAccounts: " + a.emsNo() + " must keep its goods in one of the party's own warehouses");
                }
            }
            if (p.requireSigned() && p.certificates().isEmpty()) {
                problems.add(at + ".requireSigned needs at least one certificate to verify the signatures with");
            }
        }
        // an authorisation names a registered declaring agent
        for (int i = 0; i < register.parties().size(); i++) {
            Party p = register.parties().get(i);
            if (p == null) {
                continue;
            }
            for (String agent : p.authorisedAgents()) {
                if (agent != null && agent.matches("[0-9A-Z]{10}") && !register.holds(agent, Role.DECLARING_AGENT)) {
                    problems.add("parties[" + i + "].authorisedAgents: " + agent + " is not a registered declaring agent");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidReferenceData(problems);
        }
        return register;
    }
}
