package org.singlewindow.kit.security;

import org.singlewindow.kit.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.List;
import java.util.regex.Pattern;

/** The enterprise a request acts for: the token's {@code enterprise_id}, never a field of the body. */
public final class Tenant {

    public static final String CLAIM = "enterprise_id";
    private static final Pattern ENTERPRISE_ID = Pattern.compile("[0-9A-Z]{10}");

    private Tenant() {
    }

    public static String enterpriseId(Jwt token) {
        String id = token.getClaimAsString(CLAIM);
        if (id == null || !ENTERPRISE_ID.matcher(id).matches()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Forbidden",
                    "the token carries no valid enterprise_id; ask the realm administrator to set it on the user", List.of());
        }
        return id;
    }
}
