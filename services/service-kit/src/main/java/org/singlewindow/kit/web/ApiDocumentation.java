package org.singlewindow.kit.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;

import java.util.List;
import java.util.Map;

/**
 * What every service's OpenAPI document says beyond its endpoints: a title and description for people,
 * the gateway as the only server (addresses relative to it, never a service's own host and port), the
 * realm as an OAuth2 authorization-code scheme (Swagger UI's "Authorize" logs in with PKCE; tokens from
 * elsewhere go in as a bearer), and the problem answers every endpoint may give, with examples.
 */
public final class ApiDocumentation {

    private static final String PROBLEM = "application/problem+json";

    private ApiDocumentation() {
    }

    /**
     * The document's frame.
     *
     * @param service   the service's name
     * @param issuerUri the realm's issuer as a browser reaches it (its {@code /protocol/openid-connect/auth} and
     *                  {@code /token})
     */
    public static OpenAPI frame(String service, String issuerUri) {
        String oidc = issuerUri + "/protocol/openid-connect";
        return new OpenAPI()
                .info(new Info().title("Single Window — " + service + " API").version("v1")
                        .description("""
                                The %s service of the Single Window, called through the gateway. Every call carries an access \
                                token of the realm: **Authorize** logs in (authorization code with PKCE, client \
                                `single-window-app`), or paste a bearer token got elsewhere. Invalid input is answered \
                                `application/problem+json` naming each field and the rule it breaks.""".formatted(service)))
                .servers(List.of(new Server().url("/").description("the gateway")))
                .components(new Components()
                        .addSecuritySchemes("realm", new SecurityScheme().type(SecurityScheme.Type.OAUTH2)
                                .description("Log in through the realm (Keycloak; the sandbox's embedded issuer)")
                                .flows(new OAuthFlows().authorizationCode(new OAuthFlow()
                                        .authorizationUrl(oidc + "/auth").tokenUrl(oidc + "/token")
                                        .refreshUrl(oidc + "/token")
                                        .scopes(new Scopes().addString("openid", "who you are")))))
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("JWT").description("An access token of the realm"))
                        .addSchemas("Problem", problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList("realm", List.of("openid")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    /** Adds the problem answers to every operation that does not say them itself. */
    public static OpenApiCustomizer problems() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                boolean writes = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.DELETE;
                if (writes || path.contains("{") || (operation.getParameters() != null && !operation.getParameters().isEmpty())) {
                    problem(operation, "400", "Invalid request: each field and the rule it breaks",
                            Map.of("type", "https://singlewindow.org/problems/400", "title", "Invalid request", "status", 400,
                                    "detail", "1 field(s) break the message standard",
                                    "errors", List.of(Map.of("field", "/order/actualPaid", "rule", "moneyScale",
                                            "message", "at most 2 decimal places"))));
                }
                problem(operation, "401", "No valid bearer token", Map.of("type", "https://singlewindow.org/problems/401",
                        "title", "Unauthorized", "status", 401, "detail", "a bearer token is required"));
                problem(operation, "403", "The token's roles do not allow this", Map.of("type",
                        "https://singlewindow.org/problems/403", "title", "Forbidden", "status", 403,
                        "detail", "this needs the role ENTERPRISE"));
                if (path.contains("{")) {
                    problem(operation, "404", "Not there, or not the caller's", Map.of("type",
                            "https://singlewindow.org/problems/404", "title", "Not found", "status", 404,
                            "detail", "declaration 9b2f0c1e-3d4a-4b5c-8d6e-7f8091a2b3c4 does not exist"));
                }
            }));
        };
    }

    private static void problem(Operation operation, String status, String description, Map<String, Object> example) {
        if (operation.getResponses() == null || operation.getResponses().containsKey(status)) {
            return;
        }
        operation.getResponses().addApiResponse(status, new ApiResponse().description(description)
                .content(new Content().addMediaType(PROBLEM, new MediaType()
                        .schema(new Schema<>().$ref("#/components/schemas/Problem")).example(example))));
    }

    private static Schema<?> problemSchema() {
        ObjectSchema violation = new ObjectSchema();
        violation.addProperty("field", new StringSchema().description("JSON Pointer (or, for CEB XML, the element's path)"));
        violation.addProperty("rule", new StringSchema().description("the rule broken, e.g. required, pattern, moneyScale"));
        violation.addProperty("message", new StringSchema());
        ObjectSchema problem = new ObjectSchema();
        problem.description("RFC 9457 problem details");
        problem.addProperty("type", new StringSchema());
        problem.addProperty("title", new StringSchema());
        problem.addProperty("status", new IntegerSchema());
        problem.addProperty("detail", new StringSchema());
        problem.addProperty("instance", new StringSchema());
        problem.addProperty("correlationId", new StringSchema());
        problem.addProperty("errors", new ArraySchema().items(violation));
        return problem;
    }
}
