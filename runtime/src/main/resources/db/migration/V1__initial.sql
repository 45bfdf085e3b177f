-- The command journal: every sequenced command, written by group commit before any of its events leaves
-- the process. The source of truth, with the snapshots, for recovery.
CREATE TABLE journal (
    seq     bigint PRIMARY KEY,
    ts_ns   bigint NOT NULL,
    command bytea  NOT NULL
);

-- Engine state at a sequence; recovery loads the newest and replays the journal after it.
CREATE TABLE snapshot (
    seq        bigint PRIMARY KEY,
    ts_ns      bigint NOT NULL,
    state_hash bigint NOT NULL,
    state      bytea  NOT NULL
);

-- History for queries, written behind the journal and rebuilt from it; never read by recovery.
-- Prices are ticks and quantities lots, as in the engine.
CREATE TABLE orders (
    order_id        bigint PRIMARY KEY,
    account_id      bigint,
    client_order_id text,
    instrument_id   int,
    side            text,
    type            text,
    time_in_force   text,
    price           bigint,
    quantity        bigint,
    filled          bigint,
    status          text,
    created_seq     bigint,
    updated_seq     bigint,
    updated_ns      bigint
);
CREATE INDEX orders_by_account ON orders (account_id, created_seq);

CREATE TABLE trades (
    trade_id         bigint PRIMARY KEY,
    seq              bigint,
    ts_ns            bigint,
    instrument_id    int,
    taker_order_id   bigint,
    taker_account_id bigint,
    maker_order_id   bigint,
    maker_account_id bigint,
    taker_side       text,
    price            bigint,
    quantity         bigint,
    taker_fee        bigint,
    maker_fee        bigint
);
CREATE INDEX trades_by_taker_account ON trades (taker_account_id, seq);
CREATE INDEX trades_by_maker_account ON trades (maker_account_id, seq);
CREATE INDEX trades_by_instrument ON trades (instrument_id, seq);

-- Balances of an account's asset after the command at seq; idx orders the movements of one command.
CREATE TABLE balance_movements (
    seq        bigint,
    idx        int,
    account_id bigint,
    asset      int,
    available  bigint,
    locked     bigint,
    ts_ns      bigint,
    PRIMARY KEY (seq, idx)
);
CREATE INDEX balance_movements_by_account ON balance_movements (account_id, asset, seq);

-- The sequence through which history is written; one row.
CREATE TABLE history_cursor (
    id  int    PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL
);
