-- The issuer's primary market (docs/issuer.md).

-- Accounts the issuer has onboarded (KYC): residence, US-person status, and the wallet it has whitelisted (null until
-- it does). An account without a row is not onboarded.
CREATE TABLE issuer_accounts (
    account_id   bigint PRIMARY KEY,
    jurisdiction text        NOT NULL,
    us_person    boolean     NOT NULL,
    wallet       text,
    onboarded_at timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Every mint and redeem request that was queued or executed. QUEUED (for execute_at, the open) -> EXECUTING (its
-- Transfer's reference drawn from issuer_transfer_reference, the Transfer submitted or about to be) -> PAID (a mint:
-- the USDT moved, the tokens to be minted) -> MINTED (the desk's issue transaction mined, tx_hash), or FILLED (a
-- redeem: tokens and USDT exchanged), or REFUSED (refusal, detail), or CANCELLED (while QUEUED). Amounts in engine
-- units: quantity of the xStock, price per token and usdt (fee included) in USDT units.
CREATE TABLE issuer_requests (
    id          bigserial PRIMARY KEY,
    account_id  bigint      NOT NULL,
    side        text        NOT NULL,
    asset       int         NOT NULL,
    quantity    bigint      NOT NULL,
    status      text        NOT NULL,
    reference   bigint UNIQUE,
    price       bigint,
    usdt        bigint,
    fee         bigint,
    execute_at  timestamptz,
    refusal     text,
    detail      text,
    tx_hash     text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX issuer_requests_open ON issuer_requests (status) WHERE status IN ('QUEUED', 'EXECUTING', 'PAID');
CREATE SEQUENCE issuer_transfer_reference;

-- Corporate actions the issuer scheduled: the multiplier times numerator/denominator from activation on, on chain
-- (tx_hash, scheduled at once) and in the engine (an ApplyMultiplier at activation). SCHEDULED -> APPLYING (after_seq:
-- the engine's last sequence before the command was submitted) -> APPLIED (seq) or FAILED (reason); CANCELLED never
-- happens on chain once scheduled, so it is not offered.
CREATE TABLE corporate_actions (
    id          bigserial PRIMARY KEY,
    asset       int            NOT NULL,
    numerator   bigint         NOT NULL,
    denominator bigint         NOT NULL,
    multiplier  numeric(78, 0) NOT NULL,
    activation  timestamptz    NOT NULL,
    status      text           NOT NULL,
    tx_hash     text,
    after_seq   bigint,
    seq         bigint,
    reason      text,
    created_at  timestamptz    NOT NULL DEFAULT now()
);
