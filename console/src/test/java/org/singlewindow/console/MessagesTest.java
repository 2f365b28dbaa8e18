package org.singlewindow.console;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every word of the pages is in both languages: the two bundles have the same keys, every key a template
 * names is in them, and every key prefix a template builds a key from ({@code #{'status.' + ...}}) has keys.
 */
class MessagesTest {

    private static final Pattern STATIC_KEY = Pattern.compile("#\\{([a-zA-Z][\\w.]*)[}(]");
    private static final Pattern DYNAMIC_KEY = Pattern.compile("#\\{'([\\w.]+)'\\s*\\+");

    private static Properties bundle(String name) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = MessagesTest.class.getResourceAsStream("/" + name)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }

    @Test
    void bothLanguagesHaveEveryKeyTheTemplatesUse() throws IOException {
        Properties english = bundle("messages.properties");
        Properties chinese = bundle("messages_zh_CN.properties");
        assertThat(new TreeSet<>(chinese.stringPropertyNames())).isEqualTo(new TreeSet<>(english.stringPropertyNames()));
        assertThat(chinese.values()).allSatisfy(v -> assertThat(v.toString()).isNotBlank());

        Set<String> used = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        try (Stream<Path> templates = Files.walk(Path.of("src/main/resources/templates"))) {
            for (Path template : templates.filter(p -> p.toString().endsWith(".html")).toList()) {
                String html = Files.readString(template);
                Matcher key = STATIC_KEY.matcher(html);
                while (key.find()) {
                    used.add(key.group(1));
                }
                Matcher prefix = DYNAMIC_KEY.matcher(html);
                while (prefix.find()) {
                    prefixes.add(prefix.group(1));
                }
            }
        }
        assertThat(used).hasSizeGreaterThan(100);
        assertThat(used).allSatisfy(k -> assertThat(english.stringPropertyNames()).as(k).contains(k));
        assertThat(prefixes).contains("status.", "decision.", "agency.", "quota.state.");
        assertThat(prefixes).allSatisfy(p -> assertThat(english.stringPropertyNames()).as(p).anyMatch(k -> k.startsWith(p)));
    }

    @Test
    void everyStatusAndDecisionTheApiSendsHasItsWords() throws IOException {
        Properties english = bundle("messages.properties");
        for (String status : DeclarationPages.STATUSES) {
            assertThat(english.getProperty("status." + status)).as(status).isNotBlank();
        }
        for (org.singlewindow.contract.ReceiptStatus decision : org.singlewindow.contract.ReceiptStatus.values()) {
            assertThat(english.getProperty("decision." + decision.name())).as(decision.name()).isNotBlank();
        }
    }
}
