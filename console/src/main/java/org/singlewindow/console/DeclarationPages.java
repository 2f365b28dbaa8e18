package org.singlewindow.console;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An enterprise's pages: its declarations (filtered by status, paged, refreshed while any is not final),
 * one declaration with each agency's answers and the timeline, cancelling or withdrawing it, and filing one
 * by uploading its JSON or a CEB XML message — the API's problems shown field by field.
 */
@Controller
class DeclarationPages {

    static final Set<String> FINAL = Set.of("CLEARED", "REJECTED", "CANCELLED", "WITHDRAWN");
    static final List<String> STATUSES = List.of("AWAITING_PARTIES", "RECEIVED", "IN_REVIEW", "HELD", "CLEARED", "REJECTED", "CANCELLED",
            "WITHDRAWING", "WITHDRAWN");

    /** An order number or its beginning, as the contract writes order numbers. */
    private static final java.util.regex.Pattern ORDER_NO = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,60}");

    private final Api api;

    DeclarationPages(Api api) {
        this.api = api;
    }

    @GetMapping("/declarations")
    String list(@RequestParam(required = false) String status, @RequestParam(required = false) String orderNo,
                @RequestParam(defaultValue = "0") int page, Model model) {
        String filter = status != null && STATUSES.contains(status) ? status : null;
        String search = orderNo == null || orderNo.isBlank() ? null : orderNo.strip();
        if (search != null && !ORDER_NO.matcher(search).matches()) {
            // what the API would refuse, said here (and never put into its query string)
            model.addAttribute("problem", new Api.Problem(400, "Bad Request", null,
                    List.of(new Api.Violation("orderNo", "pattern", "1 to 60 letters, digits, _ or -"))));
            search = null;
        }
        Api.Listing listing = api.declarations(filter, search, Math.max(0, page));
        Api.Page declarations = listing.page();
        if (listing.problem() != null) {
            model.addAttribute("problem", listing.problem());
        }
        model.addAttribute("statuses", STATUSES);
        model.addAttribute("status", filter);
        model.addAttribute("orderNo", search);
        model.addAttribute("page", declarations);
        model.addAttribute("pending", declarations.items().stream().anyMatch(d -> !FINAL.contains(d.status())));
        return "declarations";
    }

    /** One agency's row on the page. */
    public record AgencyRow(String agency, boolean acknowledged, String decision, Integer code, String reason, String decidedAt,
                     String settlement, String settledAt) {
    }

    @GetMapping("/declarations/{id}")
    String declaration(@PathVariable UUID id, Model model) {
        JsonNode view = api.get("/api/v1/declarations/" + id).required();
        List<AgencyRow> agencies = new ArrayList<>();
        for (JsonNode a : view.path("agencies")) {
            String agency = a.path("agency").asString();
            // the agency's latest decision in words: the message of its decision receipt
            String reason = "";
            OffsetDateTime latest = OffsetDateTime.MIN;
            for (JsonNode r : view.path("receipts")) {
                if (r.path("agency").asString().equalsIgnoreCase(agency) && r.path("kind").asString().equals("DECISION")) {
                    OffsetDateTime at = OffsetDateTime.parse(r.path("decidedAt").asString());
                    if (!at.isBefore(latest)) {
                        reason = r.path("message").asString("");
                        latest = at;
                    }
                }
            }
            agencies.add(new AgencyRow(agency.toUpperCase(java.util.Locale.ROOT), a.path("acknowledged").asBoolean(), a.path("decision").asString(""),
                    a.path("decisionCode").isNumber() ? a.path("decisionCode").asInt() : null, reason,
                    a.path("decidedAt").asString(""), a.path("settlement").asString(""), a.path("settledAt").asString("")));
        }
        String status = view.path("status").asString();
        model.addAttribute("d", view);
        model.addAttribute("cancellable", !FINAL.contains(status) && !status.equals("WITHDRAWING"));
        model.addAttribute("withdrawable", status.equals("CLEARED") && !view.hasNonNull("leftZoneAt"));
        // a return: of a cleared declaration whose goods have left the bonded zone (the API checks the 30 days)
        model.addAttribute("returnable", status.equals("CLEARED") && view.hasNonNull("leftZoneAt"));
        model.addAttribute("items", view.path("declaration").path("items"));
        model.addAttribute("agencies", agencies);
        model.addAttribute("pending", !FINAL.contains(view.path("status").asString()));
        return "declaration";
    }

    /**
     * Cancel a declaration not yet final, or withdraw a cleared one whose goods are still in the bonded zone
     * (a reason required); the API's problem (a declaration already released, goods gone) on the page.
     */
    @PostMapping("/declarations/{id}/{action:cancellation|withdrawal}")
    String cancelOrWithdraw(@PathVariable UUID id, @PathVariable String action, @RequestParam(required = false) String reason,
                            Model model, RedirectAttributes redirect) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("reason", reason == null || reason.isBlank() ? null : reason.strip());
        Api.Answer answer = api.send(HttpMethod.POST, "/api/v1/declarations/" + id + "/" + action, body);
        if (answer.ok()) {
            redirect.addFlashAttribute("done", action);
            return "redirect:/declarations/" + id;
        }
        if (answer.status() == 404) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        model.addAttribute("problem", answer.problem());
        model.addAttribute("action", action);
        return declaration(id, model);
    }

    /** Apply to return some lines: {@code qty<gnum>} for each line returned, and why. */
    @PostMapping("/declarations/{id}/returns")
    String applyReturn(@PathVariable UUID id, @RequestParam Map<String, String> form, Model model, RedirectAttributes redirect) {
        List<Map<String, Object>> lines = new ArrayList<>();
        List<Api.Violation> typing = new ArrayList<>();
        form.forEach((name, value) -> {
            if (name.matches("qty[0-9]{1,3}") && !value.isBlank()) {
                try {
                    BigDecimal quantity = new BigDecimal(value.strip());
                    if (quantity.signum() != 0) {
                        lines.add(Map.of("gnum", Integer.parseInt(name.substring(3)), "quantity", quantity));
                    }
                } catch (NumberFormatException e) {
                    typing.add(new Api.Violation("/lines/" + name.substring(3) + "/quantity", "number", "a number of units"));
                }
            }
        });
        Api.Answer answer = typing.isEmpty()
                ? api.send(HttpMethod.POST, "/api/v1/declarations/" + id + "/returns", Map.of("lines", lines, "reason",
                        form.getOrDefault("reason", "").strip()))
                : new Api.Answer(400, null, new Api.Problem(400, "Bad Request", null, typing));
        if (answer.ok()) {
            redirect.addFlashAttribute("done", "returns");
            return "redirect:/declarations/" + id;
        }
        model.addAttribute("problem", answer.problem());
        return declaration(id, model);
    }

    @GetMapping("/declarations/new")
    String form() {
        return "file";
    }

    @PostMapping("/declarations")
    String file(@RequestParam(required = false) MultipartFile file,
                @RequestParam(required = false) String text, Model model) throws IOException {
        byte[] body = file != null && !file.isEmpty() ? file.getBytes()
                : text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        String start = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).stripLeading();
        boolean xml = start.startsWith("<");
        Api.Answer answer = xml ? api.postXml("/api/v1/ceb/messages", body)
                : api.postJson("/api/v1/declarations", body, "console-" + UUID.randomUUID());
        if (answer.ok()) {
            JsonNode b = answer.body();
            String id = xml ? b.path("declarationId").asString("") : b.path("id").asString("");
            if (!id.isEmpty()) {
                return "redirect:/declarations/" + id;
            }
            model.addAttribute("awaiting", b.path("awaiting"));
        } else {
            model.addAttribute("problem", answer.problem());
        }
        model.addAttribute("text", new String(body, StandardCharsets.UTF_8));
        return "file";
    }
}
