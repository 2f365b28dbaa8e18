package org.singlewindow.kit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Background work a service repeats on its own thread, started and stopped with the application. A
 * subclass declares its tasks in its constructor with {@link #every}; a task that fails (the database
 * or a provider away for a while) is logged and tried again on its next tick.
 */
public abstract class PeriodicWork implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicWork.class);

    private record Task(String what, Duration initialDelay, Duration every, Runnable work) {
    }

    private final String threadName;
    private final List<Task> tasks = new ArrayList<>();
    private ScheduledExecutorService scheduler;

    protected PeriodicWork(String threadName) {
        this.threadName = threadName;
    }

    /** Run {@code work} after {@code initialDelay}, then {@code every} after each run ends. */
    protected final void every(Duration every, Duration initialDelay, String what, Runnable work) {
        tasks.add(new Task(what, initialDelay, every, work));
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(threadName).daemon().factory());
        for (Task task : tasks) {
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    task.work().run();
                } catch (RuntimeException e) {
                    log.warn("{} failed, will try again: {}", task.what(), e.toString());
                }
            }, task.initialDelay().toMillis(), task.every().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }
}
