package io.freehold.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.framework.Advised;

/**
 * Times calls of chosen methods of the control plane's beans from the outside, without changing its code: an interceptor
 * put first in each bean's AOP proxy (every bean with {@code @Transactional} methods has one, and every
 * {@code @Repository} for exception translation), so a timed call that began a transaction includes its commit. Attached for the part a benchmark times, and detached by {@link #close}.
 */
final class CallTimes implements MethodInterceptor, AutoCloseable {

    private final Map<String, LatencySamples> byMethod = new ConcurrentHashMap<>();
    private final List<Advised> attached = new ArrayList<>();
    private final Set<String> timed = ConcurrentHashMap.newKeySet();

    /**
     * Times these methods of {@code bean}, by name (all overloads).
     *
     * @param bean the bean as the context holds it: its proxy
     */
    CallTimes attach(Object bean, String... methods) {
        if (!(bean instanceof Advised proxy)) {
            throw new IllegalArgumentException(bean.getClass() + " is no AOP proxy; its calls cannot be timed from outside");
        }
        proxy.addAdvice(0, this);
        attached.add(proxy);
        for (String method : methods) {
            timed.add(key(proxy.getTargetClass(), method));
        }
        return this;
    }

    /** The calls so far of a method, named by its bean's class's simple name: {@code "Invoicing.close"}. */
    LatencySamples of(String method) {
        return byMethod.computeIfAbsent(method, k -> new LatencySamples());
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        String key = key(invocation.getThis().getClass(), invocation.getMethod().getName());
        if (!timed.contains(key)) {
            return invocation.proceed();
        }
        long start = System.nanoTime();
        try {
            return invocation.proceed();
        } finally {
            byMethod.computeIfAbsent(key, k -> new LatencySamples()).add(System.nanoTime() - start);
        }
    }

    @Override
    public void close() {
        attached.forEach(proxy -> proxy.removeAdvice(this));
        attached.clear();
    }

    private static String key(Class<?> type, String method) {
        return type.getSimpleName() + "." + method;
    }
}
