package org.singlewindow.identity;

import org.singlewindow.contract.Agency;

/** The realm roles of {@code infra/keycloak/single-window-realm.json}, as the services use them. */
public final class Roles {

    /** An enterprise filing declarations (carries {@code enterprise_id}). */
    public static final String ENTERPRISE = "enterprise";
    /** A consumer looking up their own yearly total (carries {@code id_number}, their resident ID number). */
    public static final String CONSUMER = "consumer";
    /** Administrators of reference data: tariffs, rule sets, registers (the party register among them). */
    public static final String REFERENCE_ADMIN = "reference-admin";
    /** Administrators of money: guarantee accounts and deposits. */
    public static final String FINANCE_ADMIN = "finance-admin";
    /** Operators: dead letters, the outbox, stock levels for support. */
    public static final String OPERATIONS_ADMIN = "operations-admin";
    /** The services' own service accounts (client credentials), for internal endpoints. */
    public static final String PLATFORM_SERVICE = "platform-service";

    private Roles() {
    }

    /** {@code customs-officer}, {@code tax-officer}, ... */
    public static String officer(Agency agency) {
        return agency.key() + "-officer";
    }
}
