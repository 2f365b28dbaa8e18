package org.singlewindow.sandbox;

import org.junit.jupiter.api.Assumptions;
import org.singlewindow.infra.embedded.TestInfrastructure;
import org.singlewindow.infra.embedded.Tokens;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One running platform shared by the end-to-end test classes of a JVM (starting it costs tens of
 * seconds). Infrastructure: embedded (default) or RabbitMQ and PostgreSQL on 127.0.0.1
 * ({@code -Dsw.it.infra=real}; the gateway's quotas then live in Redis on 127.0.0.1:6379). Issuer: the
 * embedded one, or a Keycloak realm named by {@code -Dsw.e2e.issuer=http://127.0.0.1:8180/realms/single-window}.
 */
final class E2EPlatform {

    static final String ENTERPRISE_A = "4101960005";
    static final String ENTERPRISE_B = "4101960099";
    /** The withholding agent of enterprise-a's sample declarations (their e-commerce enterprise): whose guarantee holds their tax. */
    static final String WITHHOLDING_AGENT = "4101960002";
    /**
     * A declaration of enterprise-b (the sandbox's party register): declared by itself, for its own goods
     * from its own bonded warehouse, paid through and carried by the firms that authorised it, on the
     * marketplace both demo enterprises sell on.
     */
    static ObjectNode ofB(ObjectNode declaration) {
        ((ObjectNode) declaration.get("declarant")).put("agentCode", ENTERPRISE_B);
        ((ObjectNode) declaration.get("order")).put("ebcCode", ENTERPRISE_B);
        ((ObjectNode) declaration.get("payment")).put("payCode", "3101960010");
        ((ObjectNode) declaration.get("logistics")).put("logisticsCode", "4101960097").put("warehouseCode", "LYBW01");
        return declaration;
    }

    /** enterprise-b's contracted quota in these tests: requests per window. */
    static final int ENTERPRISE_B_QUOTA = 20;

    private static Platform platform;
    private static TestInfrastructure infra;
    private static Tokens tokens;
    private static RuntimeException failure;

    private E2EPlatform() {
    }

    static synchronized Platform get() {
        if (failure != null) {
            throw new IllegalStateException("the platform did not start for an earlier test class", failure);
        }
        if (platform == null) {
            Path home = Path.of(System.getProperty("sw.home", "../..")).toAbsolutePath().normalize();
            Path logs = home.resolve("infra/sandbox/target/e2e-logs");
            int basePort = Integer.getInteger("sw.e2e.port", 18080);
            Platform.Options options;
            if (real()) {
                infra = TestInfrastructure.start();
                options = new Platform.Options(home, basePort, false, infra.amqpHost(), infra.amqpPort(),
                        infra.virtualHost(), infra.jdbcUrl(), logs)
                        .withEnv("gateway", Map.of(
                                "SW_GATEWAY_RATELIMIT_STORE", "redis",
                                "SPRING_DATA_REDIS_HOST", System.getProperty("sw.it.redis.host", "127.0.0.1"),
                                "MANAGEMENT_HEALTH_REDIS_ENABLED", "true"));
            } else {
                options = new Platform.Options(home, basePort, true, null, 0, "/", null, logs);
            }
            options = options
                    .withIssuer(keycloak() ? System.getProperty("sw.e2e.issuer") : null)
                    .withEnv("gateway", Map.of(
                            "SW_GATEWAY_RATELIMIT_WINDOW", "10s",
                            "SW_GATEWAY_RATELIMIT_OVERRIDES_" + ENTERPRISE_B, Integer.toString(ENTERPRISE_B_QUOTA),
                            // the tests' bursts as enterprise-a go beyond the default 200 requests a second
                            "SW_GATEWAY_RATELIMIT_OVERRIDES_" + ENTERPRISE_A, "100000000"))
                    // a short skew, so that the expiry test waits seconds, not minutes
                    .withEnv("*", Map.of("SW_SECURITY_CLOCKSKEW", "2s"))
                    // customs holds expire after 40 s (the hold-expiry test), long after the review tests decide theirs
                    .withEnv("customs", Map.of("SW_DECISION_HOLDEXPIRESAFTER", "40s", "SW_DECISION_WATCHINTERVAL", "2s"))
                    // a stranger's reservation gives way after 3 s, so that the test of it waits seconds
                    .withEnv("tax", Map.of("SW_TAX_UNPROVENHOLDYIELDSAFTER", "3s"));
            try {
                platform = new Platform(options).start(Duration.ofMinutes(5));
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
            tokens = new Tokens(platform.issuer());
            Runtime.getRuntime().addShutdownHook(new Thread(E2EPlatform::stop));
        }
        return platform;
    }

    static boolean real() {
        return "real".equalsIgnoreCase(System.getProperty("sw.it.infra", "embedded"));
    }

    /**
     * A suite whose subject does not depend on the infrastructure (parsing, validation, signatures: the same
     * code whichever broker and issuer carry the messages) runs in the embedded pass, README's
     * {@code ./mvnw verify}, and not again in CI's real-infrastructure pass; the flows it drives through the
     * broker run there in {@code PlatformE2EIT}, {@code FollowUpsE2EIT} and the fault suite.
     */
    static void onlyInTheEmbeddedPass() {
        Assumptions.assumeFalse(real(),
                "infrastructure-independent: runs in the embedded pass (./mvnw verify)");
    }

    static boolean keycloak() {
        String issuer = System.getProperty("sw.e2e.issuer", "");
        return !issuer.isBlank();
    }

    static String amqpVhost() {
        return infra == null ? "/" : infra.virtualHost();
    }

    static Tokens tokens() {
        get();
        return tokens;
    }

    private static synchronized void stop() {
        if (platform != null) {
            platform.close();
        }
        if (infra != null) {
            infra.close();
        }
    }
}
