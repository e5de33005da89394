package io.freehold.controlplane.portal;

import io.freehold.controlplane.platform.FreeholdProperties;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/** The start page of all-in-one mode: API base, admin token path and the contract. */
@RestController
class HomePageController {

    private final FreeholdProperties properties;

    HomePageController(FreeholdProperties properties) {
        this.properties = properties;
    }

    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    String home() {
        String tokenFile = HtmlUtils.htmlEscape(properties.adminTokenFile().toString());
        return """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Freehold</title>
                <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;line-height:1.5}
                code{background:#f3f3f3;padding:.1rem .3rem}</style></head>
                <body>
                <h1>Freehold control plane</h1>
                <p>The REST API is at <code>/api/v1</code>; every call but the contract needs a token.</p>
                <p>The bootstrap operator's API token is in <code>%s</code> (readable by its owner only).
                Send it as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
                <p>The API contract: <a href="/api/v1/openapi.yaml"><code>/api/v1/openapi.yaml</code></a>.</p>
                <p>Health: <a href="/actuator/health"><code>/actuator/health</code></a>,
                metrics: <a href="/actuator/prometheus"><code>/actuator/prometheus</code></a>.</p>
                </body>
                </html>
                """.formatted(tokenFile);
    }
}
