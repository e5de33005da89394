package io.freehold.controlplane.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;

import io.freehold.controlplane.platform.ids.Base32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PageRequestTest {

    private static final String ID = "u-01m8hbqpmnh3fkhx4je6znxh6t";

    @ParameterizedTest(name = "limit={0} → {1}")
    @CsvSource(nullValues = "null", value = {
            "null, 50",
            "1,    1",
            "500,  500"})
    void limitsWithinRangeAreAccepted(String limit, int expected) {
        assertThat(PageRequest.parse(limit, null, id -> true).limit()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "limit={0} is refused")
    @CsvSource({"0", "-1", "501", "abc", "1.5", "''", "99999999999"})
    void limitsOutOfRangeNameTheParameter(String limit) {
        assertThatThrownBy(() -> PageRequest.parse(limit, null, id -> true))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.type()).isEqualTo(ProblemType.MALFORMED_REQUEST);
                    assertThat(problem.errors()).extracting(FieldError::field).containsExactly("limit");
                });
    }

    @Test
    void aCursorRoundTripsToTheIdItWasMadeFrom() {
        String cursor = PageRequest.cursorAfter(ID);
        assertThat(PageRequest.parse(null, cursor, id -> Base32.isId("u", id)).after()).isEqualTo(ID);
    }

    @ParameterizedTest(name = "cursor {0} is refused")
    @CsvSource({"not-base64!", "YWJj", "''"})
    void forgedCursorsAreRefused(String cursor) {
        assertThatThrownBy(() -> PageRequest.parse(null, cursor, id -> Base32.isId("u", id)))
                .isInstanceOfSatisfying(ApiProblem.class, problem ->
                        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("cursor"));
    }

    @Test
    void aCursorOfAnotherListIsRefused() {
        String tenantCursor = PageRequest.cursorAfter("t-01m8hbqpmnh3fkhx4je6znxh6t");
        assertThatThrownBy(() -> PageRequest.parse(null, tenantCursor, id -> Base32.isId("u", id)))
                .isInstanceOf(ApiProblem.class);
    }

    @Test
    void aPageHasANextCursorOnlyWhenMoreRowsWereFetched() {
        PageRequest request = new PageRequest(3, null);
        List<String> four = IntStream.range(0, 4).mapToObj(i -> "id" + i).toList();
        List<String> three = four.subList(0, 3);

        Page<String> full = Page.of(four, request, id -> id);
        Page<String> last = Page.of(three, request, id -> id);

        assertThat(full.items()).containsExactly("id0", "id1", "id2");
        assertThat(full.nextCursor()).isEqualTo(PageRequest.cursorAfter("id2"));
        assertThat(last.items()).containsExactly("id0", "id1", "id2");
        assertThat(last.nextCursor()).isNull();
    }
}
