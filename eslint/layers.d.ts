/** Types of layers.js (the one definition of DESIGN.md §2's import rules). */
export declare const SRC: string;
export declare const ALLOWED: Record<string, string[]>;
export declare function layerOf(file: string): string | null;
export declare function throughLabEntry(file: string, target: string): boolean;
export declare function layerViolation(file: string, spec: string): string | null;
export declare const layersRule: unknown;
