package org.singlewindow.kit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentTest {

    @Test
    void theSandboxMayFallBackToItsOwnKey() {
        assertThat(Deployment.isSandbox("sandbox")).isTrue();
        assertThat(Deployment.isSandbox("local")).isTrue();
        assertThat(Deployment.secret(null, "sandbox", "SW_TAX_LEDGERKEY", "sandbox-key-0123456789")).isEqualTo("sandbox-key-0123456789");
        assertThat(Deployment.secret("configured-0123456789", "local", "SW_TAX_LEDGERKEY", "sandbox-key")).isEqualTo("configured-0123456789");
    }

    @Test
    void elsewhereAMissingOrDemoKeyStopsTheServiceNamingTheVariable() {
        assertThat(Deployment.isSandbox("compose")).isFalse();
        assertThat(Deployment.isSandbox("production")).isFalse();
        assertThat(Deployment.isSandbox(null)).isFalse();
        assertThatThrownBy(() -> Deployment.secret(null, "production", "SW_TAX_LEDGERKEY", "sandbox-key"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SW_TAX_LEDGERKEY is required");
        assertThatThrownBy(() -> Deployment.secret(" ", "compose", "SW_FOREX_LEDGERKEY", "sandbox-key"))
                .hasMessageContaining("SW_FOREX_LEDGERKEY is required");
        assertThatThrownBy(() -> Deployment.secret("local-ledger-key-not-for-production", "production", "SW_TAX_LEDGERKEY", "x"))
                .hasMessageContaining("demo value");
        assertThatThrownBy(() -> Deployment.secret("sandbox-tax-secret", "production", "SW_SECURITY_CLIENT_SECRET", "x"))
                .hasMessageContaining("demo value");
        assertThat(Deployment.secret("a-real-secret-from-the-store", "production", "SW_TAX_LEDGERKEY", "x"))
                .isEqualTo("a-real-secret-from-the-store");
    }
}
