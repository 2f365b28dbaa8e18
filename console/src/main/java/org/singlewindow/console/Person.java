package org.singlewindow.console;

import org.singlewindow.contract.Agency;
import org.singlewindow.identity.Roles;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is logged in, as the pages need it: their name and what their realm roles open — an enterprise's
 * declarations, the cases of the agencies they are an officer of, the operators', reference-data and
 * finance administrators' pages, a consumer's quota. On every page as {@code me}.
 *
 * @param agencies the agencies ({@code customs}, ...) whose officer the person is, in the platform's order
 */
public record Person(String name, boolean enterprise, List<String> agencies, boolean operations, boolean reference,
                     boolean finance, boolean consumer, String grafanaUrl) {

    /** The agencies' keys ({@code customs}, ...), in the platform's order. */
    static final List<String> AGENCIES = Arrays.stream(Agency.values()).map(Agency::key).toList();
    /** Their officers' roles. */
    static final List<String> OFFICERS = Arrays.stream(Agency.values()).map(Roles::officer).toList();

    public boolean officer() {
        return !agencies.isEmpty();
    }

    /** Where the person starts: the first part of the console their roles open. */
    public String home() {
        if (enterprise) {
            return "/declarations";
        }
        if (officer()) {
            return "/cases";
        }
        if (operations) {
            return "/operations";
        }
        if (reference) {
            return "/reference";
        }
        if (finance) {
            return "/finance";
        }
        return consumer ? "/quota" : "/nothing";
    }

    static Person of(OidcUser user, String grafanaUrl) {
        Set<String> roles = user.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5)).collect(Collectors.toSet());
        return new Person(user.getPreferredUsername(), roles.contains(Roles.ENTERPRISE),
                Arrays.stream(Agency.values()).filter(a -> roles.contains(Roles.officer(a))).map(Agency::key).toList(),
                roles.contains(Roles.OPERATIONS_ADMIN), roles.contains(Roles.REFERENCE_ADMIN), roles.contains(Roles.FINANCE_ADMIN),
                roles.contains(Roles.CONSUMER), grafanaUrl);
    }

    /** Puts {@code me} on every page of a logged-in person. */
    @ControllerAdvice
    static class OnEveryPage {

        private final ConsoleProperties properties;

        OnEveryPage(ConsoleProperties properties) {
            this.properties = properties;
        }

        @ModelAttribute("me")
        Person me(@AuthenticationPrincipal OidcUser user) {
            if (user == null) {
                return null;
            }
            return of(user, properties.grafanaUrl() == null ? null : properties.grafanaUrl().toString());
        }
    }
}
