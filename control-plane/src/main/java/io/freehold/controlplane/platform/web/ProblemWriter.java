package io.freehold.controlplane.platform.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes a problem response from a servlet filter, where no controller advice can. */
@Component
public class ProblemWriter {

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ApiProblem problem) throws IOException {
        write(request, response, problem.type(), problem.getMessage(), problem.errors());
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail,
                      List<FieldError> errors) throws IOException {
        response.setStatus(type.status().value());
        response.setContentType(Problem.MEDIA_TYPE.toString());
        json.writeValue(response.getOutputStream(), Problem.of(type, detail, request.getRequestURI(), errors));
    }
}
