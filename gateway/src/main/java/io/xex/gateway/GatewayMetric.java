package io.xex.gateway;

/** The trader gateway's meters: names, descriptions and tags in one catalogue (STYLE §12). */
public enum GatewayMetric {
    SESSIONS("xex.gateway.ws.sessions", "open WebSocket connections"),
    REQUESTS("xex.gateway.ws.requests", "WebSocket and REST requests answered (tag: outcome ok or error)"),
    ERRORS("xex.gateway.errors", "requests answered with an error, by code (tag: code)"),
    ORDER_ACK("xex.gateway.order.ack", "order.place received to response written, engine and journal included"),
    SLOW_DISCONNECTS("xex.gateway.ws.slow.disconnects", "connections closed for reading too slowly"),
    CONFLATED("xex.gateway.ws.conflated", "market-data messages not sent to slow readers (replaced by snapshots)"),
    CONNECTIONS_REFUSED("xex.gateway.ws.connections.refused", "connections refused over the per-address limit"),
    IDLE_DISCONNECTS("xex.gateway.ws.idle.disconnects", "connections closed after silence");

    private final String meterName;
    private final String description;

    GatewayMetric(String meterName, String description) {
        this.meterName = meterName;
        this.description = description;
    }

    public String meterName() {
        return meterName;
    }

    public String description() {
        return description;
    }
}
