package io.xex.runtime;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * SIGTERM and SIGINT handled by the process itself, through the JDK's {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}), reached reflectively so that the build stays free of its compile-time warning.
 * The handler runs on a thread of the JVM's signal dispatcher.
 */
final class Signals {
    private Signals() {
    }

    /** Runs {@code action} on SIGTERM and SIGINT (in a new thread); false if signals cannot be handled here. */
    static boolean onTerminate(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            InvocationHandler invocation = (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    new Thread(action, "xex-signal-stop").start();
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "xex signal handler";
                };
            };
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType}, invocation);
            for (String name : new String[] {"TERM", "INT"}) {
                signal.getMethod("handle", signal, handlerType)
                    .invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("xex: cannot handle signals here (" + e + "); stopping through a shutdown hook instead");
            return false;
        }
    }
}
