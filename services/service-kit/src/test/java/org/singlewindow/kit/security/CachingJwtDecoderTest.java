package org.singlewindow.kit.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingJwtDecoderTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private final AtomicInteger verifications = new AtomicInteger();
    private final JwtDecoder verifier = token -> {
        verifications.incrementAndGet();
        if (token.startsWith("forged")) {
            throw new org.springframework.security.oauth2.jwt.BadJwtException("bad signature");
        }
        return Jwt.withTokenValue(token).header("alg", "RS256").subject("enterprise-a")
                .issuedAt(T0).expiresAt(T0.plusSeconds(300)).build();
    };

    private CachingJwtDecoder decoderAt(Instant now) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
        timestamps.setClock(Clock.fixed(now, ZoneOffset.UTC));
        return new CachingJwtDecoder(verifier, timestamps, 100, Duration.ofMinutes(5));
    }

    @Test
    void aTokenIsVerifiedOnceAndServedFromTheCacheAfterwards() {
        CachingJwtDecoder decoder = decoderAt(T0.plusSeconds(10));
        assertThat(decoder.decode("token-1").getSubject()).isEqualTo("enterprise-a");
        assertThat(decoder.decode("token-1").getSubject()).isEqualTo("enterprise-a");
        assertThat(decoder.decode("token-2").getSubject()).isEqualTo("enterprise-a");
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aCachedTokenIsRefusedOnceItHasExpired() {
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
        Instant[] now = {T0.plusSeconds(10)};
        timestamps.setClock(new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        });
        CachingJwtDecoder decoder = new CachingJwtDecoder(verifier, timestamps, 100, Duration.ofMinutes(5));
        decoder.decode("token-1");
        now[0] = T0.plusSeconds(301);
        assertThatThrownBy(() -> decoder.decode("token-1")).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("no longer valid");
    }

    @Test
    void aTokenThatFailsVerificationIsNeverCached() {
        CachingJwtDecoder decoder = decoderAt(T0.plusSeconds(10));
        assertThatThrownBy(() -> decoder.decode("forged-1")).hasMessage("bad signature");
        assertThatThrownBy(() -> decoder.decode("forged-1")).hasMessage("bad signature");
        assertThat(verifications).hasValue(2);
    }
}
