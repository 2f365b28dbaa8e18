package org.singlewindow.sandbox;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README and {@code docs/} say what is where: every relative link goes to a file that exists (and to a
 * heading it has, for {@code #anchors}), every repository path written in backticks exists, and nothing
 * points outside the repository.
 */
class DocumentationTest {

    private static final Path HOME = Path.of(System.getProperty("sw.home", "../..")).toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern CODE = Pattern.compile("`([^`\\s]+)`");
    /** Where a path in backticks is a repository path. */
    private static final List<String> ROOTS = List.of("services/", "infra/", "helm/", "docs/", "gateway/", "bench/", ".ci/");

    private static List<Path> documents() throws IOException {
        List<Path> all = new ArrayList<>();
        all.add(HOME.resolve("README.md"));
        try (Stream<Path> docs = Files.list(HOME.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(all::add);
        }
        return all;
    }

    @Test
    void everyLinkGoesToAFileAndHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path document : documents()) {
            String text = Files.readString(document);
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                if (!resolved.startsWith(HOME)) {
                    broken.add(HOME.relativize(document) + ": " + target + " points outside the repository");
                } else if (!Files.exists(resolved)) {
                    broken.add(HOME.relativize(document) + ": " + target + " does not exist");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors(Files.readString(resolved)).contains(target.substring(hash + 1))) {
                    broken.add(HOME.relativize(document) + ": " + target + " names no heading of " + HOME.relativize(resolved));
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void everyRepositoryPathWrittenInTheTextExists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path document : documents()) {
            Matcher code = CODE.matcher(Files.readString(document));
            while (code.find()) {
                String path = code.group(1).replaceAll("[.,:;]+$", "");
                if (ROOTS.stream().noneMatch(path::startsWith) || path.matches(".*[<>{}*…$|].*")) {
                    continue;
                }
                // "path#anchor" and "path:line" name the file before the mark; what a build or a script writes
                // (target/, infra/.env from compose-secrets.sh) is not in the repository
                String file = path.replaceAll("[#:].*$", "");
                if (file.contains("/target/") || file.equals("infra/.env")) {
                    continue;
                }
                if (!exists(file)) {
                    missing.add(HOME.relativize(document) + ": " + path);
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void nothingPointsOutsideTheRepository() throws IOException {
        for (Path document : documents()) {
            assertThat(Files.readString(document)).as(HOME.relativize(document).toString())
                    .doesNotContain("../shared/").doesNotContain("/work/").doesNotContain("design/single-window.md");
        }
    }

    /** A path, where {@code /.../} stands for any directories between (as the docs shorten long source paths). */
    private static boolean exists(String path) throws IOException {
        int gap = path.indexOf("/.../");
        if (gap < 0) {
            return Files.exists(HOME.resolve(path));
        }
        Path from = HOME.resolve(path.substring(0, gap));
        String rest = "/" + path.substring(gap + "/.../".length());
        if (!Files.isDirectory(from)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(from)) {
            return walk.filter(p -> !p.toString().contains("/target/"))
                    .anyMatch(p -> p.toString().replace('\\', '/').endsWith(rest));
        }
    }

    /** GitHub's anchors of a document's headings: lower case, punctuation out, spaces to hyphens. */
    private static List<String> anchors(String markdown) {
        List<String> anchors = new ArrayList<>();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
