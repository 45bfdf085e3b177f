package io.xex.settlement;

/** Settlement's meters: names, descriptions and tags in one catalogue (STYLE §12). Every meter is tagged {@code chain}. */
public enum SettlementMetric {
    BATCHES("xex.settlement.batches", "recorded batches by status (tag: status)"),
    BACKLOG("xex.settlement.backlog", "durable results received and not yet in a recorded batch"),
    LAG("xex.settlement.lag", "durable results received and not yet in a confirmed batch"),
    DEPOSITS("xex.settlement.deposits", "vault Deposit and WithdrawalFailed logs taken up, by status (tag: status:"
        + " PENDING in flight, CREDITED, REJECTED by the engine, REFUSED as no whole number of engine units)"),
    DEPOSITS_UNCONFIRMED("xex.settlement.deposits.unconfirmed",
        "vault Deposit and WithdrawalFailed logs seen at the last poll and not yet confirmations deep");

    private final String meterName;
    private final String description;

    SettlementMetric(String meterName, String description) {
        this.meterName = meterName;
        this.description = description;
    }

    public String meterName() {
        return meterName;
    }

    public String description() {
        return description;
    }
}
