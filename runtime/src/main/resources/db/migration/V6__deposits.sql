-- The deposit watcher (docs/settlement.md). Per chain, the block through which the vault's Deposit logs are
-- processed (a re-scan window below it is read again on every poll).
CREATE TABLE deposit_cursor (
    chain_id bigint PRIMARY KEY,
    block    bigint NOT NULL
);

-- Each Deposit log the watcher has taken up, keyed by its place on chain. Written PENDING before its Deposit
-- command is submitted (after_seq: the engine's sequence just before), then CREDITED or REJECTED with the
-- command's journal sequence; REFUSED (no command) when the amount is no whole number of engine units. At most
-- one row is PENDING per chain.
CREATE TABLE credited_deposits (
    chain_id   bigint NOT NULL,
    tx_hash    text   NOT NULL,
    log_index  int    NOT NULL,
    account_id bigint NOT NULL,
    asset      int    NOT NULL,
    amount     bigint,
    block      bigint NOT NULL,
    seq        bigint,
    status     text   NOT NULL,
    after_seq  bigint NOT NULL,
    reason     text,
    PRIMARY KEY (chain_id, tx_hash, log_index)
);
