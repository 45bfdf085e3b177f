package io.xex.gateway;

/** The gateways' meters (WebSocket and binary): names, descriptions and tags in one catalogue (STYLE §12). */
public enum GatewayMetric {
    SESSIONS("xex.gateway.ws.sessions", "open WebSocket connections"),
    REQUESTS("xex.gateway.ws.requests", "WebSocket and REST requests answered (tag: outcome ok or error)"),
    ERRORS("xex.gateway.errors", "requests answered with an error, by code (tag: code)"),
    ORDER_ACK("xex.gateway.order.ack", "order.place received to response written, engine and journal included"),
    SLOW_DISCONNECTS("xex.gateway.ws.slow.disconnects", "connections closed for reading too slowly"),
    CONFLATED("xex.gateway.ws.conflated", "market-data messages not sent to slow readers (replaced by snapshots)"),
    CONNECTIONS_REFUSED("xex.gateway.ws.connections.refused", "connections refused over the per-address limit"),
    IDLE_DISCONNECTS("xex.gateway.ws.idle.disconnects", "connections closed after silence"),
    BINARY_CONNECTIONS("xex.gateway.binary.connections", "open binary order-entry connections"),
    BINARY_ESTABLISHED("xex.gateway.binary.established", "binary sessions established on a connection"),
    BINARY_MALFORMED("xex.gateway.binary.malformed",
        "binary frames refused for their framing, schema, template or layout (field values are not counted)"),
    BINARY_THROTTLED("xex.gateway.binary.throttled", "binary application messages refused with a ThrottleReject"),
    BINARY_TERMINATED("xex.gateway.binary.terminated", "binary connections the server terminated (tag: code)"),
    BINARY_CANCEL_ON_DISCONNECT("xex.gateway.binary.cancel.on.disconnect",
        "cancel-on-disconnect sweeps after a grace window ran out");

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
