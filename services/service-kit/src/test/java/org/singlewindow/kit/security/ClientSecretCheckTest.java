package org.singlewindow.kit.security;

import org.singlewindow.identity.IdentityProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientSecretCheckTest {

    private static IdentityProperties identity(String clientSecret) {
        return new IdentityProperties("http://127.0.0.1:8180/realms/single-window", null, null, null, clientSecret, null);
    }

    private static Object check(String env, String clientSecret) {
        return new KitSecurityAutoConfiguration().clientSecretChecked(identity(clientSecret),
                new MockEnvironment().withProperty("sw.env", env));
    }

    @Test
    void outsideTheSandboxAServiceDoesNotStartWithoutItsOwnClientSecret() {
        assertThatThrownBy(() -> check("production", null))
                .hasMessageContaining("SW_SECURITY_CLIENT_SECRET is required outside the sandbox");
        assertThatThrownBy(() -> check("compose", "sandbox-customs-secret"))
                .hasMessageContaining("SW_SECURITY_CLIENT_SECRET holds a demo value");
        assertThat(check("production", "from-the-secret-store-5f2c")).isNotNull();
    }

    @Test
    void theSandboxMayRunWithTheDemoRealmsSecretOrNone() {
        assertThat(check("sandbox", "sandbox-customs-secret")).isNotNull();
        assertThat(check("local", null)).isNotNull();
    }
}
