package io.xex.settlement.issuer;

import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The issuer's primary market ({@code issuer.*}, docs/issuer.md): who the issuer is on the venue and on chain, its fee,
 * whom it does not serve, and how often it looks after its books.
 *
 * @param enabled                  whether the venue runs the primary market (it needs settlement)
 * @param accountId                the issuer's own venue account: it receives mint payments and pays redemptions
 * @param feeBps                   the issuer's fee, added to the reference price on a mint, taken off on a redeem
 * @param restrictedJurisdictions  ISO 3166-1 alpha-2 codes of residences the issuer does not serve
 * @param key                      the private key holding the desk's ISSUER_ROLE (empty: the local chain's)
 * @param desk                     the IssuerDesk's address (empty: the local chain's)
 * @param queueDelayMs             queued requests run this long after the open, once the opening price is published
 * @param sweepMs                  how often redeemed tokens are withdrawn to the desk and burned, and unfinished mints retried
 * @param reservesPollMs           how often the reserves are read for the metrics
 */
public record IssuerConfig(boolean enabled, long accountId, int feeBps, Set<String> restrictedJurisdictions, String key,
                           String desk, long queueDelayMs, long sweepMs, long reservesPollMs) {
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    public IssuerConfig {
        restrictedJurisdictions = Set.copyOf(restrictedJurisdictions);
    }

    /** Reads and checks {@code issuer.*}; fails before anything starts. */
    public static IssuerConfig from(ConfigSource config) {
        boolean enabled = config.bool("issuer.enabled") && config.bool("settlement.enabled");
        Set<String> restricted = new TreeSet<>();
        for (String code : config.string("issuer.restrictedJurisdictions").split("\\s*,\\s*")) {
            if (code.isBlank()) {
                continue;
            }
            if (!COUNTRY.matcher(code).matches()) {
                throw config.invalid("issuer.restrictedJurisdictions", code, "ISO 3166-1 alpha-2 codes, e.g. CU,IR,KP");
            }
            restricted.add(code);
        }
        String desk = config.optionalString("issuer.desk");
        desk = desk == null ? "" : desk.trim();
        if (!desk.isEmpty() && !ADDRESS.matcher(desk).matches()) {
            throw config.invalid("issuer.desk", desk, "an address, 0x and 40 hex digits");
        }
        String key = config.optionalString("issuer.key");
        key = key == null ? "" : key.trim();
        boolean local = config.bool("settlement.localChain");
        if (enabled && !local && (desk.isEmpty() || key.isEmpty())) {
            throw new ConfigException("issuer.desk and issuer.key are needed to run the primary market on "
                + "settlement.chain (or set issuer.enabled = false)");
        }
        return new IssuerConfig(enabled, config.longValue("issuer.account", 1, 0xFFFF_FFFFL),
            config.intValue("issuer.feeBps", 0, 1_000), restricted, key, desk,
            config.longValue("issuer.queue.delayMs", 0, 60_000), config.longValue("issuer.sweepMs", 100, 3_600_000),
            config.longValue("issuer.reservesPollMs", 100, 3_600_000));
    }

    /** Whether the issuer does not serve residents of {@code country} (ISO 3166-1 alpha-2, any case). */
    public boolean restricted(String country) {
        return restrictedJurisdictions.contains(country.toUpperCase(Locale.ROOT));
    }

    /** This configuration on a chain found at start: the local chain's issuer key and desk. */
    IssuerConfig onChain(String issuerKey, String deskAddress) {
        return new IssuerConfig(enabled, accountId, feeBps, restrictedJurisdictions, issuerKey, deskAddress,
            queueDelayMs, sweepMs, reservesPollMs);
    }

    @Override
    public String toString() {
        return "IssuerConfig[account " + accountId + ", fee " + feeBps + " bps, restricted "
            + Arrays.toString(restrictedJurisdictions.toArray()) + ", desk " + desk + "]";
    }
}
