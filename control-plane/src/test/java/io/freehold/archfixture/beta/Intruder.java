package io.freehold.archfixture.beta;

import io.freehold.archfixture.alpha.AlphaStore;

/** Breaks the store-ownership rule on purpose: feature beta reads alpha's store. */
public class Intruder {

    public String peek(AlphaStore store) {
        return store.read();
    }
}
