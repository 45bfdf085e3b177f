package io.xex.settlement.issuer;

/** The issuer's meters on {@code /metrics}, each per xStock ({@code symbol} tag), read every {@code issuer.reservesPollMs}. */
enum IssuerMetric {
    RESERVES_MISMATCH("xex_issuer_reserves_mismatch",
        "1 while the token's supply x multiplier differs from the shares the custodian's ledger holds, else 0"),
    RESERVES_SUPPLY("xex_issuer_reserves_supply_tokens", "the token's supply on chain (shares x multiplier), in tokens"),
    RESERVES_HELD("xex_issuer_reserves_held_tokens", "the underlying shares the custodian's ledger holds, in tokens");

    private final String meterName;
    private final String description;

    IssuerMetric(String meterName, String description) {
        this.meterName = meterName;
        this.description = description;
    }

    String meterName() {
        return meterName;
    }

    String description() {
        return description;
    }
}
