package io.xex.settlement.chain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One contract of {@code settlement/contracts} as compiled by {@code contracts/build.mjs}: its creation bytecode and
 * its ABI, read from the artefacts committed in {@code contracts/build}, which the jar carries under
 * {@code io/xex/settlement/contracts}. Immutable.
 *
 * @param name     the contract's name
 * @param bytecode creation bytecode in hex, without 0x
 * @param abi      the ABI as the compiler wrote it
 */
public record ContractArtefact(String name, String bytecode, JsonArray abi) {
    public static final String ISSUER_DESK = "IssuerDesk";
    public static final String SETTLEMENT_VAULT = "SettlementVault";
    public static final String XSTOCK_TOKEN = "XStockToken";
    public static final String TEST_USDT = "TestUSDT";
    /** Every contract that deploys, in the order of their names. */
    public static final List<String> ALL = List.of(ISSUER_DESK, SETTLEMENT_VAULT, TEST_USDT, XSTOCK_TOKEN);

    private static final String RESOURCES = "/io/xex/settlement/contracts/";

    public ContractArtefact {
        Objects.requireNonNull(name, "name");
        if (!bytecode.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException(name + ": bytecode is not lower-case hex");
        }
    }

    /** Reads the artefacts of {@code name} from the classpath; fails if they are missing (a bug in the build). */
    public static ContractArtefact load(String name) {
        String bytecode = resource(name + ".bin").strip();
        JsonArray abi = new JsonArray(resource(name + ".abi.json"));
        return new ContractArtefact(name, bytecode, abi);
    }

    /** The data of a deployment transaction: the bytecode followed by the encoded constructor arguments. */
    public String deployData(String constructorArgs) {
        return "0x" + bytecode + constructorArgs;
    }

    /** Each custom error of the ABI as its signature, such as {@code NotZeroSum(uint16,int256)}. */
    public List<String> errorSignatures() {
        List<String> signatures = new ArrayList<>();
        for (int i = 0; i < abi.size(); i++) {
            JsonObject entry = abi.getJsonObject(i);
            if ("error".equals(entry.getString("type"))) {
                List<String> types = new ArrayList<>();
                JsonArray inputs = entry.getJsonArray("inputs");
                for (int j = 0; j < inputs.size(); j++) {
                    types.add(inputs.getJsonObject(j).getString("type"));
                }
                signatures.add(entry.getString("name") + "(" + String.join(",", types) + ")");
            }
        }
        return signatures;
    }

    private static String resource(String file) {
        try (InputStream in = ContractArtefact.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCES + file + " is not on the classpath (settlement/contracts/build)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
