package org.singlewindow.declaration.webhooks;

import org.singlewindow.declaration.ceb.ReceiptSigning;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.kit.Deployment;
import org.singlewindow.kit.RetentionRule;
import org.singlewindow.kit.privacy.SealingKey;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookSettings.class)
class WebhookConfiguration {

    @Bean
    Destinations webhookDestinations(WebhookSettings settings, @Value("${sw.env}") String env) {
        return new Destinations(Deployment.isSandbox(env), settings.allowedNetworks());
    }

    /** Seals each subscription's signing secret in the database (a dump of it signs nothing). */
    @Bean
    SealingKey webhookSecretSeal(WebhookSettings settings, @Value("${sw.env}") String env) {
        return new SealingKey(Deployment.secret(settings.secretKey(), env, "SW_WEBHOOKS_SECRETKEY", "sandbox-webhooks-secret-key"),
                settings.secretKeyPrevious(), "sw-webhook-secret-v1", "ws:", "sw.webhooks.secret-key");
    }

    @Bean
    WebhookDispatcher webhookDispatcher(JdbcClient jdbc, TransactionTemplate tx, WebhookSettings settings,
                                        Destinations destinations, SealingKey webhookSecretSeal, ReceiptSigning signing, Clock clock,
                                        MeterRegistry meters) {
        return new WebhookDispatcher(jdbc, tx, settings, destinations, webhookSecretSeal, signing, clock, meters);
    }

    /** Delivered and failed deliveries, with their attempts, after {@code sw.webhooks.keep-delivered}. */
    @Bean
    RetentionRule webhookDeliveryRetention(WebhookSettings settings) {
        return new RetentionRule("webhook-deliveries", "sw.webhooks.pruned", "Delivered or failed webhook deliveries older than the retention, deleted",
                settings.keepDelivered(), """
                        delete from webhook_delivery where id = any(array(
                            select id from webhook_delivery where state <> 'PENDING' and created_at < ? limit ?))""");
    }
}
