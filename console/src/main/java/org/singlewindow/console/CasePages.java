package org.singlewindow.console;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An agency officer's pages: the agency's queue — held cases by default, oldest first so the overdue come
 * first — and a case with every finding, the receipts the agency sent, the reviews so far and where the
 * declaration stands at the window; release or reject with a reason, which the API audits.
 */
@Controller
class CasePages {

    /** The queue's filters: both holds, decisions waiting for something outside, everything. */
    private static final List<String> FILTERS = List.of("HELD", "WITHDRAWAL_REVIEW", "RETURN_REVIEW", "DEFERRED", "ALL");

    private final Api api;
    private final ObjectMapper json;

    CasePages(Api api, ObjectMapper json) {
        this.api = api;
        this.json = json;
    }

    @GetMapping("/cases")
    String queue(@ModelAttribute("me") Person me, @RequestParam(required = false) String agency,
                 @RequestParam(defaultValue = "HELD") String filter, @RequestParam(defaultValue = "false") boolean overdue,
                 @RequestParam(defaultValue = "0") int page, Model model) {
        String of = agencyOf(me, agency == null ? me.agencies().getFirst() : agency);
        String wanted = FILTERS.contains(filter) ? filter : "HELD";
        int at = Math.max(0, page);
        String query = "/api/v1/" + of + "/declarations?sort=oldest&size=50&page=" + at
                + (wanted.equals("ALL") ? "" : "&status=" + wanted) + (overdue ? "&overdue=true" : "");
        List<JsonNode> items = new ArrayList<>();
        api.get(query).required().path("items").forEach(items::add);
        model.addAttribute("agency", of);
        model.addAttribute("filters", FILTERS);
        model.addAttribute("filter", wanted);
        model.addAttribute("overdue", overdue);
        model.addAttribute("items", items);
        model.addAttribute("page", at);
        model.addAttribute("more", items.size() == 50);
        return "cases";
    }

    /** A finding of a receipt: the field, the rule's code and what it found. */
    public record Finding(String field, String reasonCode, String message) {
    }

    @GetMapping("/cases/{agency}/{id}")
    String caseOf(@ModelAttribute("me") Person me, @PathVariable String agency, @PathVariable UUID id, Model model) {
        String of = agencyOf(me, agency);
        JsonNode detail = api.get("/api/v1/" + of + "/declarations/" + id).required();
        Map<String, List<Finding>> findings = new LinkedHashMap<>();
        for (JsonNode receipt : detail.path("receipts")) {
            String payload = receipt.path("payload").asString("");
            if (payload.isEmpty()) {
                continue;
            }
            JsonNode body = json.readTree(payload);
            List<Finding> list = new ArrayList<>();
            body.path("findings").forEach(f -> list.add(new Finding(f.path("field").asString(""), f.path("reasonCode").asString(""),
                    f.path("message").asString(""))));
            if (!list.isEmpty()) {
                findings.put(receipt.path("receiptId").asString(), list);
            }
        }
        Api.Answer window = api.get("/api/v1/" + of + "/declarations/" + id + "/window-status");
        model.addAttribute("agency", of);
        model.addAttribute("c", detail);
        model.addAttribute("findings", findings);
        model.addAttribute("window", window.ok() ? window.body() : null);
        String status = detail.path("summary").path("status").asString();
        model.addAttribute("held", status.equals("MANUAL_REVIEW") || status.equals("INSPECTION"));
        model.addAttribute("withdrawalPending", detail.path("summary").path("withdrawalReview").asString("").equals("PENDING"));
        // each return application's lines, read from the JSON the agency keeps them as
        Map<String, List<JsonNode>> returnLines = new LinkedHashMap<>();
        for (JsonNode r : detail.path("returns")) {
            List<JsonNode> lines = new ArrayList<>();
            json.readTree(r.path("lines").asString("[]")).forEach(lines::add);
            returnLines.put(r.path("returnId").asString(), lines);
        }
        model.addAttribute("returnLines", returnLines);
        return "case";
    }

    /**
     * A customs officer's decision on a return of lines of a released list: on its application (CEB625), or on its goods
     * once they arrived ({@code check}, the form of a return whose goods wait; the agency decides which it is).
     */
    @PostMapping("/cases/{agency}/{id}/returns/{returnId}/review")
    String returnReview(@ModelAttribute("me") Person me, @PathVariable String agency, @PathVariable UUID id,
                        @PathVariable UUID returnId, @RequestParam(required = false) String decision,
                        @RequestParam(required = false) String reason, @RequestParam(defaultValue = "false") boolean check,
                        Model model, RedirectAttributes redirect) {
        return decide(me, agency, id, "/returns/" + returnId + "/review", decision, reason,
                (check ? "RETURN_CHECK_" : "RETURN_") + decision, null, model, redirect);
    }

    /** A customs officer's decision on an application to withdraw a released list (CEB623). */
    @PostMapping("/cases/{agency}/{id}/withdrawal-review")
    String withdrawalReview(@ModelAttribute("me") Person me, @PathVariable String agency, @PathVariable UUID id,
                            @RequestParam(required = false) String decision, @RequestParam(required = false) String reason,
                            Model model, RedirectAttributes redirect) {
        return decide(me, agency, id, "/withdrawal-review", decision, reason, decision, "withdrawalReason", model, redirect);
    }

    @PostMapping("/cases/{agency}/{id}/review")
    String review(@ModelAttribute("me") Person me, @PathVariable String agency, @PathVariable UUID id,
                  @RequestParam(required = false) String decision, @RequestParam(required = false) String reason,
                  Model model, RedirectAttributes redirect) {
        return decide(me, agency, id, "/review", decision, reason, decision, "reason", model, redirect);
    }

    /**
     * An officer's decision sent to the agency ({@code /api/v1/<agency>/declarations/{id}<action>}): back to the case
     * saying what was done ({@code done}), or the case again with the problem and, under {@code keepReasonAs}, the
     * reason typed.
     */
    private String decide(Person me, String agency, UUID id, String action, String decision, String reason, String done,
                          String keepReasonAs, Model model, RedirectAttributes redirect) {
        String of = agencyOf(me, agency);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("decision", decision);
        body.put("reason", reason);
        Api.Answer answer = api.send(HttpMethod.POST, "/api/v1/" + of + "/declarations/" + id + action, body);
        if (answer.ok()) {
            redirect.addFlashAttribute("done", done);
            return "redirect:/cases/" + of + "/" + id;
        }
        if (answer.status() == 404) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        model.addAttribute("problem", answer.problem());
        if (keepReasonAs != null) {
            model.addAttribute(keepReasonAs, reason);
        }
        return caseOf(me, agency, id, model);
    }

    /** The agency asked for, if the person is its officer. */
    private static String agencyOf(Person me, String agency) {
        if (!me.agencies().contains(agency)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return agency;
    }
}
