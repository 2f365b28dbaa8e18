package org.singlewindow.kit.privacy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SealingKeyTest {

    private static final String OLD = "an-old-key-of-32-characters-0001";
    private static final String NEW = "a-new-key-of-32-characters-00002";

    @Test
    void aSealedValueOpensOnlyUnderItsKeyAndNeverRepeats() {
        SealingKey key = new SealingKey(OLD, null, "purpose-a", "x:", "test.key");
        String sealed = key.seal("whsec_abc");
        assertThat(sealed).startsWith("x:").doesNotContain("whsec_abc").isNotEqualTo(key.seal("whsec_abc"));
        assertThat(key.open(sealed)).isEqualTo("whsec_abc");
        assertThatThrownBy(() -> new SealingKey(NEW, null, "purpose-a", "x:", "test.key").open(sealed))
                .hasMessageContaining("sealed under neither");
        // the same secret for another purpose is another key
        assertThatThrownBy(() -> new SealingKey(OLD, null, "purpose-b", "x:", "test.key").open(sealed))
                .hasMessageContaining("sealed under neither");
    }

    @Test
    void duringARotationTheNewKeySealsAndThePreviousStillOpens() {
        String underOld = new SealingKey(OLD, null, "p", "x:", "test.key").seal("secret");
        SealingKey rotating = new SealingKey(NEW, OLD, "p", "x:", "test.key");
        assertThat(rotating.open(underOld)).isEqualTo("secret");
        String underNew = rotating.seal("secret");
        assertThat(new SealingKey(NEW, null, "p", "x:", "test.key").open(underNew)).isEqualTo("secret");
    }

    @Test
    void aShortKeyIsRefusedNamingItsSetting() {
        assertThatThrownBy(() -> new SealingKey("short", null, "p", "x:", "sw.webhooks.secret-key"))
                .hasMessage("sw.webhooks.secret-key must be at least 16 characters");
        assertThatThrownBy(() -> new SealingKey(NEW, "short", "p", "x:", "sw.webhooks.secret-key"))
                .hasMessage("sw.webhooks.secret-key-previous must be at least 16 characters");
    }
}
