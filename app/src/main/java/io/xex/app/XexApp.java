package io.xex.app;

import io.xex.gateway.GatewayComponent;
import io.xex.runtime.XexMain;

import java.util.List;

/**
 * {@code xex run}: the durable engine with the trader gateway (WebSocket and REST). Everything about
 * starting, stopping and signals is {@link XexMain}'s; this class only says which components make the venue.
 */
public final class XexApp {
    private XexApp() {
    }

    public static void main(String[] args) throws Exception {
        XexMain.run(args, config -> List.of(GatewayComponent.from(config)));
    }
}
