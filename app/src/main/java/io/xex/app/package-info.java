/**
 * The venue as {@code xex run} starts it: the runtime ({@code io.xex.runtime}) plus its components, in
 * order. New components (settlement, the binary gateway) are added here.
 */
package io.xex.app;
