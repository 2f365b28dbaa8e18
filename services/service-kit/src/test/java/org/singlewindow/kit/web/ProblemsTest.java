package org.singlewindow.kit.web;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Violation;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemsTest {

    @Test
    void anAnswerNeverGrowsWithTheRequest() {
        List<Violation> many = IntStream.range(0, 200_001)
                .mapToObj(i -> new Violation("/items/" + i + "/name", "maxLength", "x".repeat(10_000))).toList();
        Map<String, Object> problem = Problems.body(new MockHttpServletRequest("POST", "/api/v1/declarations"),
                HttpStatus.UNPROCESSABLE_CONTENT, "Invalid", "invalid", many);

        assertThat((List<?>) problem.get("errors")).hasSize(Problems.MAX_ERRORS);
        assertThat(problem.get("errorsOmitted")).isEqualTo(200_001 - Problems.MAX_ERRORS);
        @SuppressWarnings("unchecked")
        Map<String, String> first = (Map<String, String>) ((List<?>) problem.get("errors")).getFirst();
        assertThat(first.get("message")).hasSizeLessThanOrEqualTo(Problems.MAX_MESSAGE + 1);
        assertThat(first.get("field")).isEqualTo("/items/0/name");
    }

    @Test
    void aShortListIsKeptWhole() {
        Map<String, Object> problem = Problems.body(new MockHttpServletRequest("GET", "/x"), HttpStatus.BAD_REQUEST, "Bad", "bad",
                List.of(new Violation("/a", "required", "is required")));
        assertThat((List<?>) problem.get("errors")).hasSize(1);
        assertThat(problem).doesNotContainKey("errorsOmitted");
    }
}
