/**
 * How traders and market makers reach the venue. So far the parts of the WebSocket API that need no
 * socket: request signing and logon authentication ({@code auth}), and the gateway's own error codes.
 */
package io.xex.gateway;
