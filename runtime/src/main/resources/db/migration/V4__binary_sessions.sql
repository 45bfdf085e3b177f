-- Binary order-entry sessions (docs/binary-protocol.md). A session lives from its Negotiate on, across
-- disconnects and restarts. Its n-th sequenced message is its account's execution report number
-- base_report_no + n (see execution_reports).
CREATE TABLE binary_sessions (
    uuid                 bigint  PRIMARY KEY,
    key_id               text    NOT NULL,
    account_id           bigint  NOT NULL,
    cancel_on_disconnect boolean NOT NULL,
    cod_grace_ms         int     NOT NULL,
    base_report_no       bigint  NOT NULL,
    last_request_ns      bigint  NOT NULL,
    created_ns           bigint  NOT NULL
);
