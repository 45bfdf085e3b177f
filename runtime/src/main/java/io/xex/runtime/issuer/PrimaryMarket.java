package io.xex.runtime.issuer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.util.List;

/**
 * Minting and redeeming xStocks against USDT with the issuer (SPEC §9), and the reserves behind each token. A gateway
 * hands a client's request here once it has parsed it; eligibility, the session of the underlying market, the minimum
 * and the price are the issuer's, and so is every refusal.
 *
 * <p>May be called from any context; answers arrive on the caller's. A refusal is an expected outcome and a value,
 * never a failed future (a failed one is a bug or the venue stopping).
 */
public interface PrimaryMarket {
    /** The primary market of a venue without an issuer: every request is refused, and there are no reserves. */
    PrimaryMarket NONE = unavailable("the primary market needs the issuer: issuer.enabled is false");

    /** A primary market that refuses every request as {@link Refusal#UNAVAILABLE}, saying {@code why}, and has no reserves to read. */
    static PrimaryMarket unavailable(String why) {
        return new PrimaryMarket() {
            @Override
            public Future<Answer> request(Request request) {
                return Future.succeededFuture(new Answer.Refused(Refusal.UNAVAILABLE, why, 0));
            }

            @Override
            public Future<List<Reserve>> reserves() {
                return Future.failedFuture(why);
            }
        };
    }

    /** Which way a request goes. */
    enum Side {
        /** The client pays USDT and receives newly minted tokens. */
        MINT,
        /** The client's tokens go back to the issuer, to be burned, and the client receives USDT. */
        REDEEM
    }

    /**
     * A client's request: {@code quantity} engine units of the xStock {@code asset}; {@code queueForOpen} asks for the
     * request to wait for the next open, at the opening reference price, rather than be refused while the underlying
     * market is closed.
     */
    record Request(long accountId, Side side, int asset, long quantity, boolean queueForOpen) {
    }

    /** Why the issuer refuses a request; each has its own code on the wire. */
    enum Refusal {
        /** The primary market is not running, or the chain cannot be reached now (try again). */
        UNAVAILABLE,
        /** The asset is not an xStock the issuer mints. */
        NOT_AN_XSTOCK,
        /** The issuer has not onboarded the account (KYC). */
        NOT_ONBOARDED,
        /** The account belongs to a US person. */
        US_PERSON,
        /** The account's holder resides in a jurisdiction the issuer does not serve. */
        RESTRICTED_JURISDICTION,
        /** The issuer has not whitelisted a wallet of the account. */
        WALLET_NOT_WHITELISTED,
        /** The request's value at the reference price is below the issuer's minimum (5,000 USDT by default). */
        BELOW_MINIMUM,
        /** The underlying market is closed; {@code nextOpenMs} says when it opens. */
        MARKET_CLOSED,
        /** The instrument has no reference price to price the request at. */
        NO_REFERENCE_PRICE,
        /** The account's available balance does not cover it (or, for a redeem, the issuer's USDT). */
        INSUFFICIENT_FUNDS
    }

    /** The issuer's answer to a request. */
    sealed interface Answer {
        /**
         * Executed: for a redeem, the tokens and the USDT have changed hands; for a mint, the USDT is paid and the
         * tokens are being minted, credited once their deposit is {@code confirmations} deep. {@code price} is the
         * reference price per token and {@code usdt} what was paid or received, fee included, in the engine's USDT
         * units; {@code fee} is the issuer's part of it.
         */
        record Executed(long requestId, Side side, int asset, long quantity, long price, long usdt, long fee)
            implements Answer {
        }

        /** Queued for the open at {@code executeAtMs} (epoch milliseconds), at the opening reference price. */
        record Queued(long requestId, long executeAtMs) implements Answer {
        }

        /** Refused; {@code nextOpenMs} is the next open for {@link Refusal#MARKET_CLOSED}, else 0. */
        record Refused(Refusal refusal, String detail, long nextOpenMs) implements Answer {
        }
    }

    /**
     * One xStock's reserves, in 18-decimal token units: {@code supply} is the token's supply on chain (its shares
     * times its multiplier), {@code held} the underlying shares the custodian's ledger says it holds.
     */
    record Reserve(String symbol, String token, BigInteger totalShares, BigInteger multiplier, BigInteger supply,
                   BigInteger held) {
        /** Whether every token is backed by exactly one share. */
        public boolean balanced() {
            return supply.equals(held);
        }
    }

    /**
     * The reserves as {@code /api/v1/reserves} and the issuer's admin API show them: exact 18-decimal integers as
     * strings, each token's difference (shares held less supply) and whether every token is backed.
     */
    static JsonObject reservesJson(List<Reserve> reserves) {
        JsonArray tokens = new JsonArray();
        boolean balanced = true;
        for (Reserve r : reserves) {
            balanced &= r.balanced();
            tokens.add(new JsonObject().put("symbol", r.symbol()).put("token", r.token())
                .put("totalShares", r.totalShares().toString()).put("multiplier", r.multiplier().toString())
                .put("supply", r.supply().toString()).put("sharesHeld", r.held().toString())
                .put("difference", r.held().subtract(r.supply()).toString()).put("balanced", r.balanced()));
        }
        return new JsonObject().put("decimals", 18).put("balanced", balanced).put("tokens", tokens);
    }

    /** Asks the issuer to mint or redeem. */
    Future<Answer> request(Request request);

    /** Every xStock's reserves, read from the chain now (a failed future when it cannot be read). */
    Future<List<Reserve>> reserves();
}
