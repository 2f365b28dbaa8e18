package org.singlewindow.kit.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.kit.messaging.ConsumerBinding;
import org.singlewindow.kit.messaging.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Json;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * Operations on this service's dead letters (administrators): depth and a peek per consumed queue, one
 * letter in full, a replay of all of them or of one once the cause is fixed, and a discard that
 * archives the letter with who and why before taking it off the broker.
 */
@Tag(name = "Operations", description = "Dead letters of this service: inspect, replay after a fix, discard with a reason (archived).")
@RestController
@RequestMapping("/api/v1/admin/${spring.application.name}/dead-letters")
public class DeadLetterController {

    private final DeadLetters deadLetters;
    private final List<String> queues;
    private final JdbcClient jdbc;
    private final MeterRegistry meters;
    private final AdminAudit audit;

    public DeadLetterController(DeadLetters deadLetters, List<ConsumerBinding> bindings, JdbcClient jdbc, MeterRegistry meters,
                                AdminAudit audit) {
        this.audit = audit;
        this.deadLetters = deadLetters;
        this.queues = bindings.stream().map(ConsumerBinding::queue).distinct().toList();
        this.jdbc = jdbc;
        this.meters = meters;
    }

    /** A discard must say why. */
    public record Discard(String note) {
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
    public Map<String, Object> replay(@PathVariable String queue, @RequestParam(defaultValue = "100") int max, Authentication who) {
        known(queue);
        int moved = deadLetters.replay(queue, Math.clamp(max, 1, 10_000));
        audit.record(who, "dead-letter.replay", queue, moved + " letter(s) put back on the queue");
        return Map.of("queue", queue, "replayed", moved);
    }

    /** One dead letter in full: every header and the body. */
    @GetMapping("/{queue}/{messageId}")
    public Map<String, Object> inspect(@PathVariable String queue, @PathVariable String messageId, Authentication who) {
        known(queue);
        DeadLetters.Letter letter = deadLetters.inspect(queue, messageId)
                .orElseThrow(() -> ApiException.notFound("dead letter " + messageId + " on " + queue));
        // the whole message may hold personal data: who read it is kept
        audit.record(who, "dead-letter.read", queue + "/" + messageId, "read in full");
        return Map.of("queue", queue, "letter", letter.summary(), "headers", letter.headers());
    }

    /** Put one dead letter back onto its queue. */
    @PostMapping("/{queue}/{messageId}/replay")
    public Map<String, Object> replayOne(@PathVariable String queue, @PathVariable String messageId, Authentication who) {
        known(queue);
        if (!deadLetters.take(queue, messageId, true, letter -> {
        })) {
            throw ApiException.notFound("dead letter " + messageId + " on " + queue);
        }
        audit.record(who, "dead-letter.replay", queue + "/" + messageId, "put back on the queue");
        return Map.of("queue", queue, "messageId", messageId, "replayed", true);
    }

    /** Discard one dead letter: archived in this service's database (who, when, why, the message), then removed. */
    @DeleteMapping(path = "/{queue}/{messageId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> discard(@PathVariable String queue, @PathVariable String messageId,
                                       @RequestBody Discard discard, Authentication who) {
        known(queue);
        String note = discard == null || discard.note() == null ? "" : discard.note().strip();
        if (note.length() < 3 || note.length() > 1000) {
            throw ApiException.invalid("/note", "length", "say why the letter is discarded (3 to 1000 characters)");
        }
        boolean found = deadLetters.take(queue, messageId, false, letter -> jdbc.sql("""
                        insert into discarded_dead_letter (queue, message_id, message_type, declaration_id, reason, headers, body,
                            discarded_by, note)
                        values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)""")
                .params(queue, letter.summary().messageId(), letter.summary().type(), letter.summary().declarationId(),
                        letter.summary().reason(), Json.mapper().writeValueAsString(letter.headers()), letter.body(),
                        who.getName(), note)
                .update());
        if (!found) {
            throw ApiException.notFound("dead letter " + messageId + " on " + queue);
        }
        meters.counter("sw.dead.letters.discarded", "queue", queue).increment();
        audit.record(who, "dead-letter.discard", queue + "/" + messageId, note);
        return Map.of("queue", queue, "messageId", messageId, "discarded", true, "by", who.getName());
    }

    private void known(String queue) {
        if (!queues.contains(queue)) {
            throw ApiException.notFound("queue '" + queue + "' of this service");
        }
    }
}
