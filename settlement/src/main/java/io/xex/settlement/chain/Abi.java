package io.xex.settlement.chain;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.Utils;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * ABI encoding and decoding over web3j's {@link FunctionEncoder} and {@link FunctionReturnDecoder}: the one place
 * that handles web3j's raw {@code Type} lists. Stateless; any thread.
 */
final class Abi {
    private Abi() {
    }

    /** The calldata of {@code name(args...)}: selector and arguments, in hex with 0x. */
    @SuppressWarnings("rawtypes") // web3j takes a List of its raw Type
    static String call(String name, Type<?>... args) {
        List<Type> inputs = new ArrayList<>(args.length);
        for (Type<?> arg : args) {
            inputs.add(arg);
        }
        return FunctionEncoder.encode(new Function(name, inputs, List.of()));
    }

    /** Constructor arguments to append to creation bytecode, in hex without 0x. */
    @SuppressWarnings("rawtypes") // web3j takes a List of its raw Type
    static String constructorArgs(Type<?>... args) {
        List<Type> inputs = new ArrayList<>(args.length);
        for (Type<?> arg : args) {
            inputs.add(arg);
        }
        return FunctionEncoder.encodeConstructor(inputs);
    }

    /** The values of ABI-encoded {@code data} (a return value, an event's data, error arguments) in order. */
    @SuppressWarnings("rawtypes") // web3j returns a List of its raw Type
    static List<Object> decode(String data, List<TypeReference<?>> types) {
        List<Type> decoded = FunctionReturnDecoder.decode(data, Utils.convert(types));
        if (decoded.size() != types.size()) {
            throw new IllegalArgumentException("cannot decode " + types.size() + " values from " + data);
        }
        List<Object> values = new ArrayList<>(decoded.size());
        for (Type value : decoded) {
            values.add(value.getValue());
        }
        return values;
    }

    static BigInteger decodeUint(String data) {
        return (BigInteger) decode(data, List.of(new TypeReference<org.web3j.abi.datatypes.generated.Uint256>() {
        })).getFirst();
    }

    static String decodeAddress(String data) {
        return (String) decode(data, List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {
        })).getFirst();
    }

    /** keccak256 of a signature such as {@code Deposit(uint32,uint16,uint256,address)}, in hex with 0x. */
    static String topic(String signature) {
        return Hash.sha3String(signature);
    }

    /** The first 4 bytes of keccak256 of a signature, in hex with 0x. */
    static String selector(String signature) {
        return topic(signature).substring(0, 10);
    }

    /** An indexed uint from an event topic. */
    static BigInteger topicUint(String topic) {
        return Numeric.toBigInt(topic);
    }

    /** An indexed address from an event topic, lower case with 0x. */
    static String topicAddress(String topic) {
        String hex = Numeric.cleanHexPrefix(topic);
        return "0x" + hex.substring(hex.length() - 40);
    }
}
