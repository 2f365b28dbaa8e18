package org.singlewindow.kit;

import java.util.Set;

/**
 * Which kind of deployment a service runs in, from {@code sw.env}: the sandbox ({@code sandbox}, the
 * embedded default; {@code local}, the sandbox launcher against real servers and every test) may use
 * the demo realm's secrets, built-in ledger keys and the demo party register; anything else
 * ({@code compose}, {@code production}, …) may not, and a service refuses to start without its own
 * ({@link #secret}).
 */
public final class Deployment {

    private static final Set<String> SANDBOX = Set.of("sandbox", "local");

    private Deployment() {
    }

    public static boolean isSandbox(String env) {
        return env != null && SANDBOX.contains(env);
    }

    /**
     * A secret a service cannot run safely without (a ledger key, say): the configured value; in the
     * sandbox, when none is configured, the sandbox's own; elsewhere, none or a demo value
     * ({@code sandbox-…}, {@code …not-for-production}) stops the service at start with a message naming
     * the variable to set.
     *
     * @param value        what is configured (may be null or blank)
     * @param env          {@code sw.env}
     * @param variable     the environment variable that sets it, e.g. {@code SW_TAX_LEDGERKEY}
     * @param sandboxValue what the sandbox uses when nothing is configured
     */
    public static String secret(String value, String env, String variable, String sandboxValue) {
        boolean missing = value == null || value.isBlank();
        if (isSandbox(env)) {
            return missing ? sandboxValue : value;
        }
        if (missing) {
            throw new IllegalStateException(variable + " is required outside the sandbox (sw.env=" + env
                    + "): set it from this deployment's secret store");
        }
        if (value.startsWith("sandbox-") || value.contains("not-for-production")) {
            throw new IllegalStateException(variable + " holds a demo value; outside the sandbox (sw.env=" + env
                    + ") set it from this deployment's secret store");
        }
        return value;
    }
}
