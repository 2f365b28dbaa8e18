package org.singlewindow.console;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An enterprise's other pages: its bonded stock in a warehouse, the tax of a basket at checkout (the quote
 * calculator), and its webhook subscriptions (made, its secret shown once, deliveries, replay, ended).
 */
@Controller
class EnterpriseTools {

    /** Lines the calculator's form offers. */
    static final int QUOTE_LINES = 5;
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    static final List<String> EVENTS = List.of("receipt", "status", "settlement", "withdrawal", "return", "movement");

    private final Api api;

    EnterpriseTools(Api api) {
        this.api = api;
    }

    @GetMapping("/declarations/stock")
    String stock(@RequestParam(required = false) String warehouseCode, @RequestParam(required = false) String itemRecordNo,
                 Model model) {
        String warehouse = warehouseCode == null ? "" : warehouseCode.strip();
        String item = itemRecordNo == null ? "" : itemRecordNo.strip();
        model.addAttribute("warehouseCode", warehouse);
        model.addAttribute("itemRecordNo", item);
        if (warehouse.isEmpty()) {
            return "stock";
        }
        List<Api.Violation> typing = new ArrayList<>();
        if (!CODE.matcher(warehouse).matches()) {
            typing.add(new Api.Violation("warehouseCode", "pattern", "1 to 32 of A-Z a-z 0-9 _ -"));
        }
        if (!item.isEmpty() && !CODE.matcher(item).matches()) {
            typing.add(new Api.Violation("itemRecordNo", "pattern", "1 to 32 of A-Z a-z 0-9 _ -"));
        }
        if (!typing.isEmpty()) {
            // what the API would refuse, said here (and never put into its query string)
            model.addAttribute("problem", new Api.Problem(400, "Bad Request", null, typing));
            return "stock";
        }
        Api.Answer answer = api.get("/api/v1/logistics/stock?warehouseCode=" + warehouse + (item.isEmpty() ? "" : "&itemRecordNo=" + item));
        if (answer.ok()) {
            model.addAttribute("levels", answer.body());
        } else {
            model.addAttribute("problem", answer.problem());
        }
        return "stock";
    }

    /** A line of the calculator's form, as typed. */
    public record QuoteLine(String hsCode, String quantity, String unit, String qty1, String unit1, String unitPrice) {
        boolean blank() {
            return (hsCode == null || hsCode.isBlank()) && (quantity == null || quantity.isBlank())
                    && (unitPrice == null || unitPrice.isBlank());
        }
    }

    @GetMapping("/declarations/quote")
    String quoteForm(Model model) {
        List<QuoteLine> lines = new ArrayList<>();
        for (int i = 0; i < QUOTE_LINES; i++) {
            lines.add(new QuoteLine("", "", "", "", "", ""));
        }
        model.addAttribute("lines", lines);
        return "quote";
    }

    @PostMapping("/declarations/quote")
    String quote(@RequestParam Map<String, String> form, Model model) {
        List<QuoteLine> lines = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        List<Api.Violation> typing = new ArrayList<>();
        for (int i = 0; i < QUOTE_LINES; i++) {
            QuoteLine line = new QuoteLine(form.getOrDefault("hsCode" + i, "").strip(), form.getOrDefault("quantity" + i, "").strip(),
                    form.getOrDefault("unit" + i, "").strip(), form.getOrDefault("qty1" + i, "").strip(),
                    form.getOrDefault("unit1" + i, "").strip(), form.getOrDefault("unitPrice" + i, "").strip());
            lines.add(line);
            if (line.blank()) {
                continue;
            }
            Map<String, Object> item = new LinkedHashMap<>();
            String at = "/items/" + items.size();
            item.put("hsCode", line.hsCode());
            item.put("quantity", number(line.quantity(), at + "/quantity", typing));
            item.put("unit", line.unit());
            if (!line.qty1().isEmpty()) {
                item.put("qty1", number(line.qty1(), at + "/qty1", typing));
                item.put("unit1", line.unit1());
            }
            item.put("unitPrice", number(line.unitPrice(), at + "/unitPrice", typing));
            items.add(item);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("items", items);
        request.put("freight", form.getOrDefault("freight", "").isBlank() ? BigDecimal.ZERO : number(form.get("freight"), "/freight", typing));
        request.put("insurance", form.getOrDefault("insurance", "").isBlank() ? BigDecimal.ZERO
                : number(form.get("insurance"), "/insurance", typing));
        model.addAttribute("lines", lines);
        model.addAttribute("freight", form.getOrDefault("freight", ""));
        model.addAttribute("insurance", form.getOrDefault("insurance", ""));
        if (!typing.isEmpty()) {
            model.addAttribute("problem", new Api.Problem(400, "Bad Request", null, typing));
            return "quote";
        }
        Api.Answer answer = api.send(HttpMethod.POST, "/api/v1/tax/quotes", request);
        if (answer.ok()) {
            model.addAttribute("quote", answer.body());
        } else {
            model.addAttribute("problem", answer.problem());
        }
        return "quote";
    }

    private static BigDecimal number(String text, String field, List<Api.Violation> typing) {
        try {
            return new BigDecimal(text.strip().replace(",", ""));
        } catch (NumberFormatException | NullPointerException e) {
            typing.add(new Api.Violation(field, "number", "a number, such as 2 or 150.00"));
            return null;
        }
    }

    @GetMapping("/declarations/subscriptions")
    String subscriptions(Model model) {
        model.addAttribute("subscriptions", api.get("/api/v1/subscriptions").required());
        model.addAttribute("events", EVENTS);
        model.addAttribute("subscribeKey", "console-" + UUID.randomUUID());
        return "subscriptions";
    }

    @PostMapping("/declarations/subscriptions")
    String subscribe(@RequestParam(required = false) String url, @RequestParam(required = false) List<String> events,
                     @RequestParam(required = false) String format, @RequestParam String subscribeKey, Model model) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("events", events == null ? List.of() : events);
        body.put("format", format);
        Api.Answer answer = api.sendWithKey(HttpMethod.POST, "/api/v1/subscriptions", body, subscribeKey);
        String page = subscriptions(model);
        if (answer.ok()) {
            // the signing secret is shown this once (the API answers it only when the subscription is made)
            model.addAttribute("created", answer.body());
        } else {
            model.addAttribute("problem", answer.problem());
            model.addAttribute("url", url);
            model.addAttribute("subscribeKey", subscribeKey);
        }
        return page;
    }

    @GetMapping("/declarations/subscriptions/{id}")
    String subscription(@PathVariable UUID id, Model model) {
        model.addAttribute("s", api.get("/api/v1/subscriptions/" + id).required());
        Api.Answer deliveries = api.get("/api/v1/subscriptions/" + id + "/deliveries?limit=50");
        model.addAttribute("deliveries", deliveries.ok() ? deliveries.body() : List.<JsonNode>of());
        return "subscription";
    }

    @PostMapping("/declarations/subscriptions/{id}/deliveries/{delivery}/replay")
    String replay(@PathVariable UUID id, @PathVariable long delivery, RedirectAttributes redirect) {
        Api.Answer answer = api.send(HttpMethod.POST, "/api/v1/subscriptions/" + id + "/deliveries/" + delivery + "/replay", null);
        flash(answer, redirect, "replayed");
        return "redirect:/declarations/subscriptions/" + id;
    }

    @PostMapping("/declarations/subscriptions/{id}/end")
    String end(@PathVariable UUID id, RedirectAttributes redirect) {
        Api.Answer answer = api.send(HttpMethod.DELETE, "/api/v1/subscriptions/" + id, null);
        flash(answer, redirect, "ended");
        return "redirect:/declarations/subscriptions/" + id;
    }

    private static void flash(Api.Answer answer, RedirectAttributes redirect, String done) {
        if (answer.ok()) {
            redirect.addFlashAttribute("done", done);
        } else {
            redirect.addFlashAttribute("problem", answer.problem());
        }
    }
}
