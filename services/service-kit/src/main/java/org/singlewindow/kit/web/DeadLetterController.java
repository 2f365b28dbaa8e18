package org.singlewindow.kit.web;

import org.singlewindow.kit.messaging.ConsumerBinding;
import org.singlewindow.kit.messaging.DeadLetters;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * Administrators' view of this service's dead letters: depth and a peek per consumed queue, and a
 * replay that moves them back onto their queue once the cause is fixed.
 */
@RestController
@RequestMapping("/api/v1/admin/${spring.application.name}/dead-letters")
public class DeadLetterController {

    private final DeadLetters deadLetters;
    private final List<String> queues;

    public DeadLetterController(DeadLetters deadLetters, List<ConsumerBinding> bindings) {
        this.deadLetters = deadLetters;
        this.queues = bindings.stream().map(ConsumerBinding::queue).distinct().toList();
    }

    public record QueueDeadLetters(String queue, long depth, List<DeadLetters.DeadLetter> sample) {
    }

    @GetMapping
    public List<QueueDeadLetters> list(@RequestParam(defaultValue = "10") int sample) {
        int n = Math.clamp(sample, 0, 100);
        return queues.stream()
                .map(q -> new QueueDeadLetters(q, deadLetters.depth(q), deadLetters.peek(q, n)))
                .toList();
    }

    @PostMapping("/{queue}/replay")
    public Map<String, Object> replay(@PathVariable String queue, @RequestParam(defaultValue = "100") int max) {
        if (!queues.contains(queue)) {
            throw ApiException.notFound("queue '" + queue + "' of this service");
        }
        int moved = deadLetters.replay(queue, Math.clamp(max, 1, 10_000));
        return Map.of("queue", queue, "replayed", moved);
    }
}
