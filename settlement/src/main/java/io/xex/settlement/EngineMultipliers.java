package io.xex.settlement;

import io.xex.matching.Command;
import io.xex.settlement.chain.XStockToken;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's multiplier of each xStock of one chain through its durable results (docs/settlement.md, "Units and
 * multipliers"): 10^18 (18-decimal fixed point, {@link XStockToken#ONE}) at the start, times {@code n / d} at every
 * accepted {@link Command.ApplyMultiplier}, in force from that command's sequence on. Each change is an epoch: a
 * settlement batch never spans one, and is converted at the multiplier of its sequences.
 *
 * <p><b>One writer:</b> the chain's {@link SettlementVerticle}, on its context, loads the changes stored in
 * {@code settlement_multipliers} at start and {@link #apply applies} each accepted {@code ApplyMultiplier} as it takes
 * the result in, moving {@link #through()}. Readers on any thread (the chain's worker, the deposit watcher) see an
 * immutable snapshot through a volatile field.
 */
final class EngineMultipliers {
    /** A multiplier in force from {@code fromSequence} on. */
    record Change(int asset, long fromSequence, BigInteger multiplier) {
    }

    /**
     * What the writer has seen: every change so far, per asset in sequence order, and the last sequence looked at;
     * {@code broken} is the first change that has no exact result (null while none), from which nothing converts.
     */
    private record Snapshot(Map<Integer, List<Change>> changes, long through, Broken broken) {
    }

    /** An {@code ApplyMultiplier} at {@code sequence} whose new multiplier is not a whole number. */
    record Broken(long sequence, String reason) {
    }

    private final Set<Integer> shareAssets;
    private volatile Snapshot snapshot;

    /**
     * @param shareAssets the engine ids of the chain's xStocks (the only assets with a multiplier)
     * @param stored      the changes stored before, in any order
     * @param through     the sequence through which the stored changes are complete: the chain's cursor
     */
    EngineMultipliers(Set<Integer> shareAssets, List<Change> stored, long through) {
        this.shareAssets = Set.copyOf(shareAssets);
        Map<Integer, List<Change>> changes = new HashMap<>();
        for (Change change : stored) {
            if (!this.shareAssets.contains(change.asset())) {
                throw new IllegalArgumentException("a stored multiplier of asset " + change.asset()
                    + ", which is not an xStock of this chain: " + change);
            }
            changes.computeIfAbsent(change.asset(), a -> new ArrayList<>()).add(change);
        }
        changes.replaceAll((asset, list) -> list.stream().sorted((a, b) -> Long.compare(a.fromSequence(),
            b.fromSequence())).toList());
        this.snapshot = new Snapshot(Map.copyOf(changes), through, null);
    }

    /** Whether {@code asset} is an xStock of this chain, whose multiplier is tracked. */
    boolean tracks(int asset) {
        return shareAssets.contains(asset);
    }

    /** The multiplier of {@code asset} in force at {@code sequence} (10^18 for an asset that is no xStock). */
    BigInteger at(int asset, long sequence) {
        BigInteger found = XStockToken.ONE;
        for (Change change : snapshot.changes().getOrDefault(asset, List.of())) {
            if (change.fromSequence() > sequence) {
                break;
            }
            found = change.multiplier();
        }
        return found;
    }

    /** The multipliers {@code asset} took after {@code sequence}, oldest first. */
    List<BigInteger> after(int asset, long sequence) {
        List<BigInteger> later = new ArrayList<>();
        for (Change change : snapshot.changes().getOrDefault(asset, List.of())) {
            if (change.fromSequence() > sequence) {
                later.add(change.multiplier());
            }
        }
        return later;
    }

    /** The changes in force from a sequence in {@code first..last}: what a batch of those results stores. */
    List<Change> changesIn(long first, long last) {
        List<Change> found = new ArrayList<>();
        snapshot.changes().values().forEach(list -> list.stream()
            .filter(change -> change.fromSequence() >= first && change.fromSequence() <= last).forEach(found::add));
        return found;
    }

    /** The last sequence whose result the writer has taken in: a reader's answer is complete up to it. */
    long through() {
        return snapshot.through();
    }

    /** The first {@code ApplyMultiplier} without an exact result, or null. */
    Broken broken() {
        return snapshot.broken();
    }

    /**
     * Takes in the result at {@code sequence}: for an accepted {@code ApplyMultiplier} of one of the chain's xStocks
     * (the caller decides it was accepted), the new multiplier {@code M × n / d}, which must be a whole number (the
     * token's multiplier is one; otherwise this is a configuration error and {@link #broken()} says so). Returns
     * whether the result changed a multiplier. On the writer's context only.
     */
    boolean apply(long sequence, Command.ApplyMultiplier command) {
        Snapshot now = snapshot;
        if (sequence <= now.through()) {
            return false; // taken in before (a stored change, or a result handed over again)
        }
        if (now.broken() != null || !shareAssets.contains(command.asset())) {
            snapshot = new Snapshot(now.changes(), sequence, now.broken());
            return false;
        }
        BigInteger[] qr = at(command.asset(), sequence).multiply(BigInteger.valueOf(command.numerator()))
            .divideAndRemainder(BigInteger.valueOf(command.denominator()));
        if (qr[1].signum() != 0 || qr[0].signum() <= 0) {
            snapshot = new Snapshot(now.changes(), sequence, new Broken(sequence, "ApplyMultiplier(" + command.asset()
                + ", " + command.numerator() + ", " + command.denominator() + ") at sequence " + sequence + " takes the"
                + " multiplier " + at(command.asset(), sequence) + " (1e18 = 1) to no whole number: no token can have"
                + " that multiplier, so nothing after it can be settled (a configuration error: undo the action)"));
            return false;
        }
        Map<Integer, List<Change>> changes = new HashMap<>(now.changes());
        List<Change> list = new ArrayList<>(changes.getOrDefault(command.asset(), List.of()));
        list.add(new Change(command.asset(), sequence, qr[0]));
        changes.put(command.asset(), List.copyOf(list));
        snapshot = new Snapshot(Map.copyOf(changes), sequence, null);
        return true;
    }

    /** The writer has taken in every result through {@code sequence}. On the writer's context only. */
    void advance(long sequence) {
        Snapshot now = snapshot;
        if (sequence > now.through()) {
            snapshot = new Snapshot(now.changes(), sequence, now.broken());
        }
    }
}
