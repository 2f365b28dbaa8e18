package org.singlewindow.kit.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Violation;
import org.springframework.http.HttpStatus;
import org.springframework.util.AntPathMatcher;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bounds every request body before anything reads it, and refuses control characters in JSON text.
 * <ul>
 *   <li>A body longer than its path's limit ({@code sw.http.max-body}, 1 MB; per path pattern in
 *       {@code sw.http.max-body-by-path}) is a 413 problem: refused at once by its {@code Content-Length}, or,
 *       without one (chunked), as soon as the limit is passed while reading — a larger body is never read
 *       whole.</li>
 *   <li>A JSON string (value or member name) with a control character (U+0000–U+001F, U+007F, as
 *       {@code \\u0000} escapes: JSON forbids them raw) is a 400 problem naming the field; tab, line feed
 *       and carriage return are allowed. No service stores a NUL or a terminal escape.</li>
 * </ul>
 * Runs after authentication, so that an anonymous request is refused before its body is read.
 */
public class RequestBodyGuard extends OncePerRequestFilter {

    private final long defaultLimit;
    private final Map<String, DataSize> limitsByPath;
    private final AntPathMatcher paths = new AntPathMatcher();

    public RequestBodyGuard(DataSize defaultLimit, Map<String, DataSize> limitsByPath) {
        this.defaultLimit = defaultLimit.toBytes();
        this.limitsByPath = Map.copyOf(limitsByPath);
    }

    long limitFor(String path) {
        return limitsByPath.entrySet().stream().filter(e -> paths.match(e.getKey(), path))
                .mapToLong(e -> e.getValue().toBytes()).findFirst().orElse(defaultLimit);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = request.getMethod();
        if (!method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")) {
            chain.doFilter(request, response);
            return;
        }
        long limit = limitFor(request.getRequestURI());
        if (request.getContentLengthLong() > limit) {
            tooLarge(request, response, limit);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (body.length > limit) {
            tooLarge(request, response, limit);
            return;
        }
        String contentType = request.getContentType();
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            Optional<String> field = controlCharacterAt(body);
            if (field.isPresent()) {
                Problems.write(request, response, HttpStatus.BAD_REQUEST, "Control character in text",
                        "text may not contain control characters (U+0000 to U+001F but tab, line feed and carriage return; U+007F)",
                        List.of(new Violation(field.get(), "controlCharacter", "must not contain control characters")));
                return;
            }
        }
        chain.doFilter(new CachedBody(request, body), response);
    }

    private static void tooLarge(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
        response.setHeader("Connection", "close");
        Problems.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "Body too large",
                "a request body to " + request.getRequestURI() + " may be at most " + limit + " bytes",
                List.of(new Violation("", "maxBytes", "at most " + limit + " bytes")));
    }

    /**
     * The JSON pointer of the first string or member name holding a control character; empty when there
     * is none or the body is not well-formed JSON (the handler reports that, with its own words).
     */
    static Optional<String> controlCharacterAt(byte[] body) {
        try (JsonParser parser = Json.mapper().createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.PROPERTY_NAME && hasControl(parser.currentName())
                        || token == JsonToken.VALUE_STRING && hasControl(parser.getString())) {
                    return Optional.of(parser.streamReadContext().pathAsPointer().toString());
                }
            }
        } catch (JacksonException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** The request with its body read once, replayable for the handler. */
    private static final class CachedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
