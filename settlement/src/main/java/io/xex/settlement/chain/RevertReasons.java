package io.xex.settlement.chain;

import org.web3j.abi.TypeReference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns revert data into words: the custom errors of every xex contract, {@code Error(string)} and
 * {@code Panic(uint256)}. Immutable after class initialisation; any thread.
 */
final class RevertReasons {
    private record ErrorType(String name, List<String> types) {
    }

    private static final Map<String, ErrorType> BY_SELECTOR = bySelector();

    private RevertReasons() {
    }

    /** A decoded revert: the error's name (empty if unknown) and a readable form such as {@code NotZeroSum(1, 5)}. */
    record Reason(String errorName, String text) {
    }

    static Reason describe(String data) {
        if (data == null || data.length() < 10 || !data.startsWith("0x")) {
            return new Reason("", data == null || data.equals("0x") ? "no revert data" : "revert data " + data);
        }
        ErrorType error = BY_SELECTOR.get(data.substring(0, 10).toLowerCase(java.util.Locale.ROOT));
        if (error == null) {
            return new Reason("", "unknown error " + data);
        }
        try {
            List<TypeReference<?>> types = new ArrayList<>();
            for (String type : error.types()) {
                types.add(TypeReference.makeTypeReference(type));
            }
            List<Object> values = types.isEmpty() ? List.of() : Abi.decode("0x" + data.substring(10), types);
            String args = values.stream().map(RevertReasons::format).collect(Collectors.joining(", "));
            return new Reason(error.name(), error.name() + "(" + args + ")");
        } catch (ClassNotFoundException | RuntimeException e) {
            return new Reason(error.name(), error.name() + " " + data);
        }
    }

    private static String format(Object value) {
        return value instanceof byte[] bytes ? org.web3j.utils.Numeric.toHexString(bytes) : String.valueOf(value);
    }

    private static Map<String, ErrorType> bySelector() {
        Map<String, ErrorType> map = new HashMap<>();
        List<String> signatures = new ArrayList<>(List.of("Error(string)", "Panic(uint256)"));
        for (String contract : ContractArtefact.ALL) {
            signatures.addAll(ContractArtefact.load(contract).errorSignatures());
        }
        for (String signature : signatures) {
            int open = signature.indexOf('(');
            String inner = signature.substring(open + 1, signature.length() - 1);
            List<String> types = inner.isEmpty() ? List.of() : List.of(inner.split(","));
            map.put(Abi.selector(signature), new ErrorType(signature.substring(0, open), types));
        }
        return Map.copyOf(map);
    }
}
