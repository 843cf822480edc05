/**
 * Compiles only when A and B accept the same values: `const _: SameType<A, B> = true`. Ties a
 * stored document's latest version to the contract type it is read as, so changing one without
 * the other (and without a new version) fails the build.
 */
export type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : 'B has values A lacks') : 'A has values B lacks';
