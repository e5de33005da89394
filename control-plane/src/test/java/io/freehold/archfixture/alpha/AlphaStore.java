package io.freehold.archfixture.alpha;

/** A store of the fixture feature {@code alpha}. */
public class AlphaStore {

    public String read() {
        return "alpha";
    }
}
