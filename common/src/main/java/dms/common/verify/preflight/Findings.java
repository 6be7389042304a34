package dms.common.verify.preflight;

import dms.common.messages.PreflightReport.Finding;
import dms.common.messages.PreflightReport.Severity;
import dms.common.messages.PreflightReport.Side;
import java.util.ArrayList;
import java.util.List;

/** The findings of one pre-flight, collected as the checks run. */
final class Findings {

    /** Objects named in one finding at most; the message gives the full count. */
    static final int MAX_OBJECTS = 20;

    private final List<Finding> all = new ArrayList<>();

    void error(String code, Side side, String database, List<String> objects, String message, String action) {
        add(code, Severity.ERROR, side, database, objects, message, action);
    }

    void warning(String code, Side side, String database, List<String> objects, String message, String action) {
        add(code, Severity.WARNING, side, database, objects, message, action);
    }

    private void add(String code, Severity severity, Side side, String database, List<String> objects, String message,
                     String action) {
        List<String> named = objects == null || objects.isEmpty() ? null
                : List.copyOf(objects.subList(0, Math.min(MAX_OBJECTS, objects.size())));
        all.add(new Finding(code, severity, side, database, named, message, action));
    }

    List<Finding> list() {
        return List.copyOf(all);
    }
}
