package org.singlewindow.kit.messaging;

import org.singlewindow.kit.KitProperties;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * How long a consumer gathers a batch, adapted to its load. A consumer whose last batch was a single
 * message is idle or lightly loaded: it hands the next message over as soon as no other follows within
 * {@code batch-wait} (a few ms), so low-load latency does not change. A consumer whose last batch held
 * several messages is busy: it waits up to {@code busy-batch-wait} for each further message and
 * {@code busy-batch-max-wait} in all, so batches stay large and the cost per message low while the
 * load lasts. The first single-message batch switches back.
 * <p>
 * The container reads both timeouts on each receive, on the consumer's own thread, which is also the
 * thread that calls {@link #observed}; consumers of the same container share the setting.
 */
final class BatchPacing {

    private final SimpleMessageListenerContainer container;
    private final KitProperties.Messaging settings;
    private boolean busy;

    BatchPacing(SimpleMessageListenerContainer container, KitProperties.Messaging settings) {
        this.container = container;
        this.settings = settings;
        apply(false);
    }

    /** Called with the size of every batch the container delivered. */
    void observed(int batchSize) {
        boolean nowBusy = batchSize > 1;
        if (nowBusy != busy) {
            apply(nowBusy);
        }
    }

    boolean busy() {
        return busy;
    }

    private void apply(boolean toBusy) {
        busy = toBusy;
        container.setReceiveTimeout((toBusy ? settings.busyBatchWait() : settings.batchWait()).toMillis());
        container.setBatchReceiveTimeout((toBusy ? settings.busyBatchMaxWait() : settings.batchMaxWait()).toMillis());
    }
}
