-- API keys of trader accounts (SPEC §3): an HMAC-SHA256 secret or an Ed25519 public key per key id.
-- The gateway reads them at start; an HMAC secret has to be kept by the venue to verify signatures
-- (encrypting it at rest with an operator key is a deployment concern, not done here).
CREATE TABLE api_keys (
    key_id     text        PRIMARY KEY,
    account_id bigint      NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('HMAC_SHA256', 'ED25519')),
    secret     text        NOT NULL,
    label      text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_by_account ON api_keys (account_id);
