package io.freehold.controlplane.platform.web;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One page of a list, as every list endpoint returns it.
 *
 * @param items the page, in id order
 * @param nextCursor pass as {@code cursor} to get the next page; null on the last page
 */
public record Page<T>(List<T> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {

    /**
     * Builds a page from rows fetched with {@link PageRequest#fetchSize()}: the extra row, when present,
     * only says that a next page exists.
     */
    public static <T> Page<T> of(List<T> fetched, PageRequest request, Function<T, String> idOf) {
        if (fetched.size() <= request.limit()) {
            return new Page<>(List.copyOf(fetched), null);
        }
        List<T> page = List.copyOf(fetched.subList(0, request.limit()));
        return new Page<>(page, PageRequest.cursorAfter(idOf.apply(page.get(page.size() - 1))));
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextCursor);
    }
}
