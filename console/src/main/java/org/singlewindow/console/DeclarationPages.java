package org.singlewindow.console;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An enterprise's pages: its declarations (filtered by status, paged, refreshed while any is not final),
 * one declaration with each agency's answers and the timeline, and filing one by uploading its JSON or a
 * CEB XML message — the API's problems shown field by field.
 */
@Controller
class DeclarationPages {

    static final Set<String> FINAL = Set.of("CLEARED", "REJECTED", "CANCELLED", "WITHDRAWN");
    private static final List<String> STATUSES = List.of("RECEIVED", "IN_REVIEW", "HELD", "CLEARED", "REJECTED", "CANCELLED",
            "WITHDRAWING", "WITHDRAWN");

    private final Api api;

    DeclarationPages(Api api) {
        this.api = api;
    }

    @GetMapping("/")
    String home() {
        return "redirect:/declarations";
    }

    @GetMapping("/declarations")
    String list(@AuthenticationPrincipal OidcUser user, @RequestParam(required = false) String status,
                @RequestParam(defaultValue = "0") int page, Model model) {
        String filter = status != null && STATUSES.contains(status) ? status : null;
        Api.Page declarations = api.declarations(filter, Math.max(0, page));
        model.addAttribute("user", user);
        model.addAttribute("statuses", STATUSES);
        model.addAttribute("status", filter);
        model.addAttribute("page", declarations);
        model.addAttribute("pending", declarations.items().stream().anyMatch(d -> !FINAL.contains(d.status())));
        return "declarations";
    }

    /** One agency's row on the page. */
    public record AgencyRow(String agency, boolean acknowledged, String decision, Integer code, String reason, String decidedAt,
                     String settlement, String settledAt) {
    }

    @GetMapping("/declarations/{id}")
    String declaration(@AuthenticationPrincipal OidcUser user, @PathVariable UUID id, Model model) {
        Api.Answer answer = api.get("/api/v1/declarations/" + id);
        if (answer.status() == 404) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        if (!answer.ok()) {
            throw new ResponseStatusException(HttpStatus.valueOf(answer.status()));
        }
        JsonNode view = answer.body();
        List<AgencyRow> agencies = new ArrayList<>();
        for (JsonNode a : view.path("agencies")) {
            String agency = a.path("agency").asString();
            String reason = "";
            for (JsonNode r : view.path("receipts")) {
                // the receipt of the agency's latest decision (the same code), its message in words
                if (r.path("agency").asString().equals(agency) && r.path("statusCode").asInt() == a.path("decisionCode").asInt(-1)) {
                    reason = r.path("message").asString("");
                }
            }
            agencies.add(new AgencyRow(agency.toUpperCase(java.util.Locale.ROOT), a.path("acknowledged").asBoolean(), a.path("decision").asString(""),
                    a.path("decisionCode").isNumber() ? a.path("decisionCode").asInt() : null, reason,
                    a.path("decidedAt").asString(""), a.path("settlement").asString(""), a.path("settledAt").asString("")));
        }
        model.addAttribute("user", user);
        model.addAttribute("d", view);
        model.addAttribute("agencies", agencies);
        model.addAttribute("pending", !FINAL.contains(view.path("status").asString()));
        return "declaration";
    }

    @GetMapping("/declarations/new")
    String form(@AuthenticationPrincipal OidcUser user, Model model) {
        model.addAttribute("user", user);
        return "file";
    }

    @PostMapping("/declarations")
    String file(@AuthenticationPrincipal OidcUser user, @RequestParam(required = false) MultipartFile file,
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
        model.addAttribute("user", user);
        model.addAttribute("text", new String(body, StandardCharsets.UTF_8));
        return "file";
    }
}
