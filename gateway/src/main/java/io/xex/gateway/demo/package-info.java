/** The demo accounts, deposits and API keys that let a newcomer trade right after {@code xex run}. */
package io.xex.gateway.demo;
