package org.singlewindow.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

/** {@code /}: the first part of the console the person's roles open, or a page saying none does. */
@Controller
class HomePage {

    @GetMapping("/")
    String home(@ModelAttribute("me") Person me) {
        String home = me.home();
        return home.equals("/nothing") ? "nothing" : "redirect:" + home;
    }
}
