package org.singlewindow.kit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A loop on its own thread that works through a table in rounds (the outbox relay, the webhook
 * dispatcher): each round claims up to a batch; after a round short of a full batch the loop waits for the
 * poll interval or a {@link #wake()}; after a failed round it waits a growing pause — the whole pause, even
 * when woken meanwhile: during an outage every commit that wakes it would otherwise start a new attempt.
 */
public abstract class PollingWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PollingWorker.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    /**
     * How the loop paces itself.
     *
     * @param batchSize    a round that claims this many has more waiting: the next one starts at once
     * @param pollInterval the wait after a round short of a full batch, unless woken
     * @param maxBackoff   the longest pause after failed rounds
     */
    public record Pacing(int batchSize, Duration pollInterval, Duration maxBackoff) {
    }

    private final String name;
    private final Pacing pacing;
    private volatile boolean running;
    private volatile Thread worker;

    protected PollingWorker(String name, Pacing pacing) {
        this.name = name;
        this.pacing = pacing;
    }

    /** One round of work; returns how many items it claimed. */
    protected abstract int round();

    /** Called when a round fails, before the pause (count it). */
    protected void failed(RuntimeException e) {
    }

    /** How long {@link #stop()} waits for the round in progress. */
    protected Duration stopTimeout() {
        return Duration.ofSeconds(10);
    }

    /** Look now (after a commit that added work). */
    public void wake() {
        Thread t = worker;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofPlatform().daemon().name(name).start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        Thread t = worker;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(stopTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            try {
                int claimed = round();
                backoff = FIRST_BACKOFF;
                if (claimed < pacing.batchSize()) {
                    LockSupport.parkNanos(pacing.pollInterval().toNanos());
                }
            } catch (RuntimeException e) {
                failed(e);
                log.warn("{} round failed, retrying in {} ms: {}", name, backoff.toMillis(), e.toString());
                long retryAt = System.nanoTime() + backoff.toNanos();
                for (long left = backoff.toNanos(); running && left > 0; left = retryAt - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
                backoff = backoff.multipliedBy(2).compareTo(pacing.maxBackoff()) > 0 ? pacing.maxBackoff() : backoff.multipliedBy(2);
            }
        }
    }
}
