package org.singlewindow.kit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * Background work a service repeats, on Spring's task scheduler (Boot's {@code taskScheduler},
 * {@code spring.task.scheduling.*}), started and stopped with the application. A subclass declares its
 * tasks in its constructor with {@link #every}; a task that fails (the database or a provider away for a
 * while) is logged and tried again on its next tick. {@link #stop()} cancels them (a test pauses them so).
 */
public abstract class PeriodicWork implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicWork.class);

    private record Task(String what, Duration initialDelay, Duration every, Runnable work) {
    }

    private final List<Task> tasks = new ArrayList<>();
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    private TaskScheduler scheduler;

    /** Run {@code work} after {@code initialDelay}, then {@code every} after each run ends. */
    protected final void every(Duration every, Duration initialDelay, String what, Runnable work) {
        tasks.add(new Task(what, initialDelay, every, work));
    }

    @Autowired
    final void scheduleOn(TaskScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public synchronized void start() {
        for (Task task : tasks) {
            scheduled.add(scheduler.scheduleWithFixedDelay(() -> {
                try {
                    task.work().run();
                } catch (RuntimeException e) {
                    log.warn("{} failed, will try again: {}", task.what(), e.toString());
                }
            }, scheduler.getClock().instant().plus(task.initialDelay()), task.every()));
        }
    }

    @Override
    public synchronized void stop() {
        scheduled.forEach(future -> future.cancel(true));
        scheduled.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !scheduled.isEmpty();
    }
}
