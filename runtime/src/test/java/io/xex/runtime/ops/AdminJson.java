package io.xex.runtime.ops;

import io.vertx.core.json.JsonObject;
import io.xex.matching.Command;

/** For tests in other packages: the admin API's JSON form of commands, results and events. Stateless. */
public final class AdminJson {
    private AdminJson() {
    }

    /** A command as {@code POST /admin/commands} reads it. */
    public static Command command(JsonObject json) {
        return RecordJson.decodeCommand(json);
    }

    /** A record, list or value as the admin API writes it. */
    public static Object encode(Object value) {
        return RecordJson.encode(value);
    }
}
