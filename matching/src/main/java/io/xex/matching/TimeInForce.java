package io.xex.matching;

/** How long what is left of an order lives. */
public enum TimeInForce {
    /** Good till cancelled: the remainder rests on the book. */
    GTC,
    /** Immediate or cancel: the remainder expires. */
    IOC,
    /** Fill or kill: the whole quantity trades at once, or nothing does. */
    FOK,
    /** Rests without trading; rejected if it would cross the book on entry. */
    POST_ONLY
}
