/**
 * The venue as {@code xex run} starts it: the runtime ({@code io.xex.runtime}) plus its components, in
 * order ({@link io.xex.app.XexApp#components}): the gateways, then settlement to the local chain. New components are
 * added here.
 */
package io.xex.app;
