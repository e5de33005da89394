package io.freehold.controlplane.testing;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the contract's path template that a concrete request path belongs to. When two templates
 * match, the one with fewer variables wins, as in Spring's own routing ({@code /users/me} before
 * {@code /users/{userId}}).
 */
final class PathTemplates {

    private static final Pattern VARIABLE = Pattern.compile("\\{[^/}]+}");

    private record Template(String text, Pattern pattern, int variables) {
    }

    private final List<Template> templates;

    PathTemplates(Collection<String> templates) {
        this.templates = templates.stream()
                .map(PathTemplates::compile)
                .sorted(Comparator.comparingInt(Template::variables).thenComparing(Template::text))
                .toList();
    }

    /** @return the template {@code path} belongs to, or empty when the contract has no such path */
    Optional<String> match(String path) {
        return templates.stream()
                .filter(template -> template.pattern().matcher(path).matches())
                .map(Template::text)
                .findFirst();
    }

    private static Template compile(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher variable = VARIABLE.matcher(template);
        int literalStart = 0;
        int variables = 0;
        while (variable.find()) {
            regex.append(Pattern.quote(template.substring(literalStart, variable.start()))).append("[^/]+");
            literalStart = variable.end();
            variables++;
        }
        regex.append(Pattern.quote(template.substring(literalStart)));
        return new Template(template, Pattern.compile(regex.toString()), variables);
    }
}
