package org.singlewindow.console;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The reference-data administrators' pages: every service's documents in force (tariff, rule sets,
 * registers) and, for one, every version loaded and by whom; a new version checked by the service first
 * (its problems listed, nothing loaded), then shown as a difference from the one in force, then loaded.
 */
@Controller
class ReferencePages {

    /** How many lines of a difference the page shows (a tariff may change in thousands). */
    static final int DIFF_LINES = 600;
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,60}");

    private final Api api;
    private final ObjectMapper json;

    ReferencePages(Api api, ObjectMapper json) {
        this.api = api;
        this.json = json;
    }

    /** One service's documents, or the problem reading them. */
    public record ServiceDocuments(String service, List<JsonNode> documents, Api.Problem problem) {
    }

    @GetMapping("/reference")
    String overview(Model model) {
        List<ServiceDocuments> services = new ArrayList<>();
        for (String service : OperationsPages.SERVICES) {
            Api.Answer answer = api.get("/api/v1/admin/" + service + "/reference");
            List<JsonNode> documents = new ArrayList<>();
            if (answer.ok()) {
                answer.body().forEach(documents::add);
            }
            services.add(new ServiceDocuments(service, documents, answer.ok() ? null : answer.problem()));
        }
        model.addAttribute("services", services);
        return "reference";
    }

    @GetMapping("/reference/{service}/{kind}")
    String document(@PathVariable String service, @PathVariable String kind, Model model) {
        String base = base(service, kind);
        JsonNode inForce = api.get(base).required();
        Api.Answer versions = api.get(base + "/versions");
        model.addAttribute("service", service);
        model.addAttribute("kind", kind);
        model.addAttribute("inForce", inForce);
        model.addAttribute("versions", versions.ok() ? versions.body() : json.createArrayNode());
        return "reference-document";
    }

    /** A line of the difference: {@code +} added, {@code -} removed, {@code @} a hunk's place, else context. */
    public record DiffLine(String kind, String text) {
    }

    /** Check an uploaded version with the service and show how it differs from the one in force; nothing is loaded. */
    @PostMapping("/reference/{service}/{kind}/check")
    String check(@PathVariable String service, @PathVariable String kind, @RequestParam(required = false) MultipartFile file,
                 @RequestParam(required = false) String text, Model model) throws IOException {
        String base = base(service, kind);
        String upload = file != null && !file.isEmpty() ? new String(file.getBytes(), StandardCharsets.UTF_8) : text == null ? "" : text;
        Api.Answer checked = api.sendBytes(org.springframework.http.HttpMethod.POST, base + "/check", MediaType.APPLICATION_JSON,
                upload.getBytes(StandardCharsets.UTF_8));
        model.addAttribute("text", upload);
        if (!checked.ok()) {
            model.addAttribute("problem", checked.problem());
            return document(service, kind, model);
        }
        Api.Answer current = api.get(base + "/document");
        List<String> before = canonical(current.ok() ? current.body() : json.createObjectNode());
        List<String> after = canonical(json.readTree(upload));
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff("in force", "upload", before, DiffUtils.diff(before, after), 3);
        List<DiffLine> lines = new ArrayList<>();
        for (String line : unified.subList(Math.min(2, unified.size()), unified.size())) {
            lines.add(new DiffLine(line.isEmpty() ? " " : line.substring(0, 1), line.isEmpty() ? "" : line.substring(1)));
        }
        model.addAttribute("checked", checked.body());
        model.addAttribute("diff", lines.size() > DIFF_LINES ? lines.subList(0, DIFF_LINES) : lines);
        model.addAttribute("diffCut", Math.max(0, lines.size() - DIFF_LINES));
        model.addAttribute("changed", lines.stream().filter(l -> l.kind().equals("+") || l.kind().equals("-")).count());
        return document(service, kind, model);
    }

    @PostMapping("/reference/{service}/{kind}/load")
    String load(@PathVariable String service, @PathVariable String kind, @RequestParam String text, Model model,
                RedirectAttributes redirect) {
        String base = base(service, kind);
        Api.Answer loaded = api.sendBytes(org.springframework.http.HttpMethod.PUT, base, MediaType.APPLICATION_JSON,
                text.getBytes(StandardCharsets.UTF_8));
        if (loaded.ok()) {
            redirect.addFlashAttribute("done", loaded.body().path("version").asString());
            return "redirect:/reference/" + service + "/" + kind;
        }
        model.addAttribute("problem", loaded.problem());
        model.addAttribute("text", text);
        return document(service, kind, model);
    }

    /** The document pretty-printed with its keys sorted, line by line: a difference of content, not of layout. */
    private List<String> canonical(JsonNode document) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(sorted(document)).lines().toList();
        } catch (JacksonException e) {
            return List.of();
        }
    }

    private JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = json.createObjectNode();
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
            fields.forEach((k, v) -> out.set(k, sorted(v)));
            return out;
        }
        if (node.isArray()) {
            var out = json.createArrayNode();
            node.forEach(v -> out.add(sorted(v)));
            return out;
        }
        return node;
    }

    private static String base(String service, String kind) {
        if (!OperationsPages.SERVICES.contains(service) || !KIND.matcher(kind).matches()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return "/api/v1/admin/" + service + "/reference/" + kind;
    }
}
