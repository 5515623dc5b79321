/**
 * Types for the one piece of `natural` triage imports directly. Importing the package root
 * would load all of natural (~0.9 s, and its storage back-ends print dotenv notices to
 * stdout, which would break `fanzha triage --jsonl`); the n-gram module alone loads in ~3 ms.
 */
declare module 'natural/lib/natural/ngrams/ngrams_zh.js' {
  /** Character n-grams of a string (split into UTF-16 units) or of an array of symbols. */
  export function ngrams(sequence: string | string[], n: number, startSymbol?: string | null, endSymbol?: string | null): string[][];
  export function bigrams(sequence: string | string[], startSymbol?: string | null, endSymbol?: string | null): string[][];
  export function trigrams(sequence: string | string[], startSymbol?: string | null, endSymbol?: string | null): string[][];
}
