-- Execution reports, part of history: what happened to each account's orders, numbered densely per account
-- (1, 2, 3, ...) in the order they follow from the durable command results, the same numbers the binary
-- gateway gives them, so that a client's request to resend from report n can be answered after a restart.
-- kind is an ExecKind code; side, type and time_in_force are the engine's codes, NULL for a refused cancel
-- or amend; reason is a reject number (REJECTED) or a done reason number (CANCELLED, EXPIRED), else 0.
-- Prices are ticks, quantities lots and fees quote units, as in the engine.
CREATE TABLE execution_reports (
    account_id      bigint,
    report_no       bigint,
    seq             bigint,
    ts_ns           bigint,
    kind            smallint,
    order_id        bigint,
    client_order_id text,
    instrument_id   int,
    side            smallint,
    type            smallint,
    time_in_force   smallint,
    price           bigint,
    quantity        bigint,
    remaining       bigint,
    last_price      bigint,
    last_quantity   bigint,
    trade_id        bigint,
    fee             bigint,
    maker           boolean,
    reason          int,
    PRIMARY KEY (account_id, report_no)
);
