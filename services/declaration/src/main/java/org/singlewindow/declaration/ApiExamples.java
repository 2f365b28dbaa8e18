package org.singlewindow.declaration;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import org.singlewindow.contract.Json;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The request bodies of the window's API document, with examples that work as they are ("Try it out"):
 * the declaration README submits ({@code infra/samples/declaration.json}) and its CEB621 list. The bodies
 * are read as bytes by the controllers (so that every problem is reported at once), which the document would
 * otherwise show as a binary string.
 */
@Configuration(proxyBeanMethods = false)
class ApiExamples {

    @Bean
    OpenApiCustomizer declarationExamples() {
        Object declaration = Json.mapper().readValue(resource("declaration.json"), Object.class);
        String list = new String(resource("ceb621-inventory.xml"), StandardCharsets.UTF_8);
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            body(openApi.getPaths().get("/api/v1/declarations"), PathItem::getPost, "application/json", "object",
                    "A declaration (contract declaration-v1): the inventory list with its order, payment and waybill",
                    declaration);
            body(openApi.getPaths().get("/api/v1/declarations/{id}"), PathItem::getPut, "application/json", "object",
                    "The whole new version of the declaration, appType CHANGE", declaration);
            body(openApi.getPaths().get("/api/v1/ceb/messages"), PathItem::getPost, "application/xml", "string",
                    "One CEB311, CEB411, CEB511 or CEB621 message (docs/ceb-xml.md); here the sample list", list);
        };
    }

    private static void body(PathItem path, java.util.function.Function<PathItem, Operation> method, String mediaType,
                             String type, String description, Object example) {
        Operation operation = path == null ? null : method.apply(path);
        if (operation == null) {
            return;
        }
        operation.setRequestBody(new RequestBody().required(true).description(description).content(new Content()
                .addMediaType(mediaType, new MediaType().schema(new Schema<>().type(type)).example(example))));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiExamples.class.getResourceAsStream("/openapi-examples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("openapi-examples/" + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
