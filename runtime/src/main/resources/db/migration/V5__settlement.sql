-- On-chain settlement (docs/settlement.md). A batch is every durable result from first_seq to last_seq of one
-- chain, netted into legs and withdrawals (LegCodec's packed encoding, in the vault's units), recorded OPEN
-- together with the chain's cursor before it is submitted, then SUBMITTED (tx_hash, nonce), CONFIRMED or
-- FAILED (reason).
CREATE TABLE settlement_batches (
    chain_id    bigint NOT NULL,
    batch_id    bigint NOT NULL,
    first_seq   bigint NOT NULL,
    last_seq    bigint NOT NULL,
    legs        bytea  NOT NULL,
    withdrawals bytea  NOT NULL,
    status      text   NOT NULL,
    tx_hash     text,
    nonce       bigint,
    reason      text,
    created_ns  bigint NOT NULL,
    updated_ns  bigint NOT NULL,
    PRIMARY KEY (chain_id, batch_id)
);

-- Per chain, the sequence through which durable results are in a batch (or moved nothing).
CREATE TABLE settlement_cursor (
    chain_id bigint PRIMARY KEY,
    seq      bigint NOT NULL
);
