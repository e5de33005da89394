package io.freehold.archfixture.rogue;

/** Breaks the naming rule on purpose. */
public class RogueManager {
}
