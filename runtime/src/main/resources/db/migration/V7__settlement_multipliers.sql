-- The engine's multiplier of each xStock of a chain (docs/settlement.md, "Units and multipliers"): 1e18 at the
-- start (no row), and from_seq on the multiplier an accepted ApplyMultiplier at that sequence made, an 18-decimal
-- fixed-point whole number. Written in the same transaction as the batch (or the cursor move) that takes in the
-- ApplyMultiplier's result, so every row is at or below the chain's cursor and a restart converts each batch at the
-- multiplier in force at its sequences.
CREATE TABLE settlement_multipliers (
    chain_id   bigint  NOT NULL,
    asset      integer NOT NULL,
    from_seq   bigint  NOT NULL,
    multiplier numeric(78, 0) NOT NULL CHECK (multiplier > 0),
    PRIMARY KEY (chain_id, asset, from_seq)
);
