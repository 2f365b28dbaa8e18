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

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The finance administrators' pages: the withholding agents' guarantee accounts (the least available
 * first), one account with its movements, and a deposit — made once however often the form is sent (the
 * form carries its own Idempotency-Key).
 */
@Controller
class FinancePages {

    private static final Pattern ENTERPRISE = Pattern.compile("[0-9A-Z]{10}");

    private final Api api;

    FinancePages(Api api) {
        this.api = api;
    }

    @GetMapping("/finance")
    String accounts(Model model) {
        model.addAttribute("accounts", api.get("/api/v1/admin/tax/guarantee-accounts").required());
        return "finance";
    }

    @GetMapping("/finance/{enterpriseId}")
    String account(@PathVariable String enterpriseId, Model model) {
        model.addAttribute("a", api.get("/api/v1/admin/tax/guarantee-accounts/" + known(enterpriseId)).required());
        model.addAttribute("depositKey", "console-" + UUID.randomUUID());
        return "guarantee-account";
    }

    @PostMapping("/finance/{enterpriseId}/deposits")
    String deposit(@PathVariable String enterpriseId, @RequestParam(required = false) String amount,
                   @RequestParam String depositKey, Model model, RedirectAttributes redirect) {
        BigDecimal value;
        try {
            value = new BigDecimal(amount == null ? "" : amount.strip().replace(",", ""));
        } catch (NumberFormatException e) {
            model.addAttribute("problem", new Api.Problem(400, "Bad Request", null,
                    List.of(new Api.Violation("/amount", "number", "an amount in CNY, such as 10000.00"))));
            model.addAttribute("amount", amount);
            return account(enterpriseId, model);
        }
        Api.Answer answer = api.sendWithKey(HttpMethod.POST, "/api/v1/admin/tax/guarantee-accounts/" + known(enterpriseId) + "/deposits",
                Map.of("amount", value), depositKey);
        if (answer.ok()) {
            redirect.addFlashAttribute("done", value.toPlainString());
            return "redirect:/finance/" + enterpriseId;
        }
        model.addAttribute("problem", answer.problem());
        model.addAttribute("amount", amount);
        String page = account(enterpriseId, model);
        // the same key again: sending the corrected form cannot deposit twice
        model.addAttribute("depositKey", depositKey);
        return page;
    }

    private static String known(String enterpriseId) {
        if (!ENTERPRISE.matcher(enterpriseId).matches()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return enterpriseId;
    }
}
