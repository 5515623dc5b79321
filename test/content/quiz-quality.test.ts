/**
 * Quiz questions must test understanding, not test-taking tricks: across the multiple-choice
 * questions the right answer must not give itself away by being the longest option, nor by
 * always sitting in the same place.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../src/content/load.js';

const content = loadContentOrThrow(path.resolve(import.meta.dirname, '../..'));
const choice = content.questions.flatMap((q) => (q.kind === 'choice' ? [q] : []));

describe('when the quiz content is checked for give-aways', () => {
  it('then the right answer is the longest option no more often than chance would make it', () => {
    const longest = choice.filter((q) => {
      const lens = q.options.map((o) => [...o].length);
      const max = Math.max(...lens);
      return lens[q.answer] === max && lens.filter((l) => l === max).length === 1;
    });
    // Chance for 3-4 options is about 30%.
    expect(longest.length / choice.length, longest.map((q) => q.id).join(' ')).toBeLessThanOrEqual(0.35);
  });

  it('then no position holds the right answer much more often than the others', () => {
    const counts = [0, 0, 0, 0];
    for (const q of choice) counts[q.answer]++;
    for (const n of counts) expect(n / choice.length).toBeLessThanOrEqual(0.4);
  });
});
