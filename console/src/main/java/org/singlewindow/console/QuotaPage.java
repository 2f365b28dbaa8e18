package org.singlewindow.console;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A consumer's page, as China's public quota query offers it: the year's limit in the cross-border retail
 * channel, what is used and left, and each purchase counted (the tax service's ledger, found by the ID
 * number in the consumer's token — nobody can ask for another person's).
 */
@Controller
class QuotaPage {

    private final Api api;

    QuotaPage(Api api) {
        this.api = api;
    }

    @GetMapping("/quota")
    String quota(@RequestParam(required = false) Integer year, Model model) {
        Api.Answer answer = api.get("/api/v1/tax/my-quota" + (year == null ? "" : "?year=" + year));
        if (answer.status() == 400 && year != null) {
            // a year the ledger does not keep: say so on the page of the current one
            model.addAttribute("problem", answer.problem());
            answer = api.get("/api/v1/tax/my-quota");
        }
        model.addAttribute("q", answer.required());
        return "quota";
    }
}
