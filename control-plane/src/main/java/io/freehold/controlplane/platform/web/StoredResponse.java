package io.freehold.controlplane.platform.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.util.ContentCachingResponseWrapper;

/** The parts of a first answer that a replay repeats: status, content type, Location and body. */
record StoredResponse(int status, String contentType, String location, byte[] body) {

    static StoredResponse of(ContentCachingResponseWrapper response) {
        return new StoredResponse(response.getStatus(), response.getContentType(), response.getHeader("Location"),
                response.getContentAsByteArray());
    }

    void replay(HttpServletResponse response) throws IOException {
        response.setStatus(status);
        if (contentType != null) {
            response.setContentType(contentType);
        }
        if (location != null) {
            response.setHeader("Location", location);
        }
        response.getOutputStream().write(body);
    }
}
