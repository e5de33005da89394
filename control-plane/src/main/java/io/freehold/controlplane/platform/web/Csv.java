package io.freehold.controlplane.platform.web;

/** RFC 4180, as the API's CSV downloads write it: CRLF line ends, a field quoted when it holds a comma, a quote or a line end. */
public final class Csv {

    public static final String LINE_END = "\r\n";

    private Csv() {
    }

    /** The field as it goes between commas: as it is, or quoted with its quotes doubled. */
    public static String field(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\r") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
