/** Trade queries on the history tables the runtime writes behind the journal. Thread-safe (a pool). */
package io.xex.gateway.history;
