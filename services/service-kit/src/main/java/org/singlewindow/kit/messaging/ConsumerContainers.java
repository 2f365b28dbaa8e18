package org.singlewindow.kit.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.kit.KitProperties;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * Starts one listener container per {@link ConsumerBinding} bean. Each consumer takes what waits in
 * its queue as a batch (Spring AMQP's consumer batching): up to {@code sw.messaging.batch-size}
 * deliveries, gathering stops as soon as no further message arrives within
 * {@code sw.messaging.batch-wait} (so under low load a message is handled as soon as it arrives,
 * alone) or after {@code sw.messaging.batch-max-wait} in all; a busy consumer gathers a little longer
 * ({@link BatchPacing}).
 */
public class ConsumerContainers implements SmartLifecycle {

    private final List<SimpleMessageListenerContainer> containers = new ArrayList<>();
    private volatile boolean running;

    public ConsumerContainers(List<ConsumerBinding> bindings, ConnectionFactory connectionFactory, Inbox inbox, Locks locks,
                              TransactionTemplate tx, DeadLetters deadLetters, KitProperties.Messaging settings,
                              MeterRegistry meters, TraceContext trace, BrokerIdentity identity) {
        for (ConsumerBinding binding : bindings) {
            SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
            container.setQueueNames(binding.queue());
            container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
            container.setPrefetchCount(settings.prefetch());
            container.setConcurrentConsumers(settings.concurrency());
            container.setConsumerBatchEnabled(true);
            container.setBatchSize(settings.batchSize());
            container.setMissingQueuesFatal(false);
            container.setDefaultRequeueRejected(true);
            container.setMessageListener(new ReliableConsumer(binding, inbox, locks, tx, deadLetters, settings, meters, trace,
                    new BatchPacing(container, settings), identity));
            container.setBeanName("consumer-" + binding.queue());
            container.afterPropertiesSet();
            containers.add(container);
            // what an administrator watches per queue: dead letters waiting, consumers of this instance
            Gauge.builder("sw.dead.letters.depth", deadLetters, d -> d.depthOrNaN(binding.queue())).tag("queue", binding.queue())
                    .description("Messages waiting in the queue's dead-letter queue").register(meters);
            Gauge.builder("sw.consumers.active", container, SimpleMessageListenerContainer::getActiveConsumerCount)
                    .tag("queue", binding.queue()).description("Consumers of this instance on the queue").register(meters);
        }
    }

    @Override
    public void start() {
        containers.forEach(SimpleMessageListenerContainer::start);
        running = true;
    }

    @Override
    public void stop() {
        containers.forEach(SimpleMessageListenerContainer::stop);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    public List<SimpleMessageListenerContainer> containers() {
        return List.copyOf(containers);
    }
}
