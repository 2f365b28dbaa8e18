package org.singlewindow.console;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The operators' pages: every service's dead letters (inspect one in full — the read is audited —,
 * replay it, or discard it with a note, archived) and its outbox (waiting, oldest, parked rows put back in
 * line); a link to the dashboards where {@code sw.console.grafana-url} is set.
 */
@Controller
class OperationsPages {

    /** The window and the agencies: the services with dead letters, outboxes and reference documents. */
    static final List<String> SERVICES = java.util.stream.Stream.concat(java.util.stream.Stream.of("declaration"),
            Person.AGENCIES.stream()).toList();
    /** Queue names and message ids as the platform makes them; anything else is not asked for. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private final Api api;

    OperationsPages(Api api) {
        this.api = api;
    }

    /** One service's state: its dead-letter queues (or the problem reading them) and its outbox. */
    public record ServiceState(String service, List<JsonNode> queues, JsonNode outbox, Api.Problem problem) {

        public long deadLetters() {
            return queues.stream().mapToLong(q -> q.path("depth").asLong()).sum();
        }
    }

    @GetMapping("/operations")
    String overview(Model model) {
        List<ServiceState> services = new ArrayList<>();
        for (String service : SERVICES) {
            Api.Answer dead = api.get("/api/v1/admin/" + service + "/dead-letters?sample=20");
            Api.Answer outbox = api.get("/api/v1/admin/" + service + "/outbox");
            List<JsonNode> queues = new ArrayList<>();
            if (dead.ok()) {
                dead.body().forEach(queues::add);
            }
            services.add(new ServiceState(service, queues, outbox.ok() ? outbox.body() : null,
                    !dead.ok() ? dead.problem() : outbox.ok() ? null : outbox.problem()));
        }
        model.addAttribute("services", services);
        return "operations";
    }

    @GetMapping("/operations/dead-letters/{service}/{queue}/{messageId}")
    String letter(@PathVariable String service, @PathVariable String queue, @PathVariable String messageId, Model model) {
        JsonNode answer = api.get(path(service, queue, messageId)).required();
        model.addAttribute("service", service);
        model.addAttribute("queue", queue);
        model.addAttribute("l", answer.path("letter"));
        model.addAttribute("headers", answer.path("headers"));
        return "dead-letter";
    }

    @PostMapping("/operations/dead-letters/{service}/{queue}/{messageId}/replay")
    String replay(@PathVariable String service, @PathVariable String queue, @PathVariable String messageId,
                  RedirectAttributes redirect) {
        Api.Answer answer = api.send(HttpMethod.POST, path(service, queue, messageId) + "/replay", null);
        return done(answer, redirect, "replayed", messageId);
    }

    @PostMapping("/operations/dead-letters/{service}/{queue}/{messageId}/discard")
    String discard(@PathVariable String service, @PathVariable String queue, @PathVariable String messageId,
                   @RequestParam(required = false) String note, Model model, RedirectAttributes redirect) {
        Api.Answer answer = api.send(HttpMethod.DELETE, path(service, queue, messageId), Map.of("note", note == null ? "" : note));
        if (answer.ok() || answer.status() == 404) {
            return done(answer, redirect, "discarded", messageId);
        }
        model.addAttribute("problem", answer.problem());
        model.addAttribute("note", note);
        return letter(service, queue, messageId, model);
    }

    @PostMapping("/operations/outbox/{service}/retry")
    String retryParked(@PathVariable String service, RedirectAttributes redirect) {
        Api.Answer answer = api.send(HttpMethod.POST, "/api/v1/admin/" + known(service) + "/outbox/parked/retry", null);
        return done(answer, redirect, "requeued", String.valueOf(answer.ok() ? answer.body().path("requeued").asInt() : 0));
    }

    private static String done(Api.Answer answer, RedirectAttributes redirect, String what, String subject) {
        if (answer.ok()) {
            redirect.addFlashAttribute("done", what);
            redirect.addFlashAttribute("subject", subject);
        } else {
            redirect.addFlashAttribute("problem", answer.problem());
        }
        return "redirect:/operations";
    }

    private static String path(String service, String queue, String messageId) {
        if (!NAME.matcher(queue).matches() || !NAME.matcher(messageId).matches()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return "/api/v1/admin/" + known(service) + "/dead-letters/" + queue + "/" + messageId;
    }

    private static String known(String service) {
        if (!SERVICES.contains(service)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return service;
    }
}
