package org.singlewindow.bench;

import org.singlewindow.sandbox.Platform;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The raw broker patterns of one run, each measured right before the platform's phases and again right after
 * them; a ratio is taken to the mean of the two, so that the broker's (or the machine's) drift during the run
 * counts against neither side. Kinds: {@code quorum} and {@code classic} (one publish, five receipts, on that
 * queue type) and {@code flow} (the declaration's whole flow, on quorum queues where the broker has them).
 */
final class RawPatterns {

    /** One pattern before and (if measured again) after the platform's phases. */
    record Pair(String kind, RawBroker.Result before, RawBroker.Result after) {

        double throughput() {
            return after == null ? before.throughput() : (before.throughput() + after.throughput()) / 2;
        }

        /** CPU per message (per flow for {@code flow}), the broker and the pattern's clients. */
        double cpuMs() {
            return after == null ? Report.cpuMsPerMessage(before) : (Report.cpuMsPerMessage(before) + Report.cpuMsPerMessage(after)) / 2;
        }
    }

    private final Platform platform;
    private final String vhost;
    private final byte[] payload;
    private final int messages;
    private final ProcessMonitor monitor;
    private final Map<String, Pair> pairs = new LinkedHashMap<>();
    private final boolean quorumAvailable;

    /** @param quorumAvailable the broker has quorum queues (RabbitMQ; the embedded broker has classic only) */
    RawPatterns(Platform platform, String vhost, boolean quorumAvailable, byte[] payload, int messages, ProcessMonitor monitor) {
        this.platform = platform;
        this.vhost = vhost;
        this.payload = payload;
        this.messages = messages;
        this.monitor = monitor;
        this.quorumAvailable = quorumAvailable;
    }

    /** Run these kinds now: the first time as "before", the second as "after". */
    void measure(List<String> kinds) throws IOException, TimeoutException, InterruptedException {
        for (String kind : kinds) {
            boolean flow = kind.equals("flow");
            boolean quorum = kind.equals("quorum") || (flow && quorumAvailable);
            monitor.begin();
            // a flow is twelve messages: half as many flows as single patterns keeps the phases about as long
            RawBroker.Result result = RawBroker.run(platform.amqpHost(), platform.amqpPort(), vhost, quorum, flow, payload,
                    flow ? Math.max(1, messages / 2) : messages, 256, 2, Duration.ofMinutes(5));
            result = result.withProcesses(monitor.end());
            System.out.println(RawBroker.summary(result) + (pairs.containsKey(kind) ? " (after the platform's phases)" : ""));
            Pair earlier = pairs.get(kind);
            pairs.put(kind, earlier == null ? new Pair(kind, result, null) : new Pair(kind, earlier.before(), result));
        }
    }

    /** The first pattern measured: the single pattern on the queue type the platform uses. */
    Pair first() {
        return pairs.values().iterator().next();
    }

    Pair get(String kind) {
        return pairs.get(kind);
    }

    Map<String, Pair> all() {
        return pairs;
    }

    String broker() {
        return first().before().broker();
    }
}
