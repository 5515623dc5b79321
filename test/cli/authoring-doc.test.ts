/**
 * The examples in docs/authoring.md are real: the annotated scenario, the example message,
 * the signal and the two questions are added to a copy of the content and must pass the
 * same validation the server uses.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadContent } from '../../src/content/load.js';
import { PROJECT_ROOT } from '../helpers/app.js';

const DOC = readFileSync(path.join(PROJECT_ROOT, 'docs/authoring.md'), 'utf8');
const yamlBlocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
const block = (startsWith: string) => {
  const b = yamlBlocks.find((x) => x.trimStart().startsWith(startsWith));
  if (!b) throw new Error(`no yaml block starting with ${startsWith}`);
  return b;
};

describe('docs/authoring.md', () => {
  it('when its examples are added to the content, then everything still validates and they are all loaded', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'fanzha-doc-'));
    cpSync(path.join(PROJECT_ROOT, 'knowledge'), path.join(root, 'knowledge'), { recursive: true });
    cpSync(path.join(PROJECT_ROOT, 'scenarios'), path.join(root, 'scenarios'), { recursive: true });

    writeFileSync(path.join(root, 'scenarios/fake-shopping-concert-ticket.yaml'), block('# scenarios/fake-shopping-concert-ticket.yaml'));
    writeFileSync(path.join(root, 'scenarios/quiz/zz-from-doc.yaml'), block('questions:'));
    writeFileSync(path.join(root, 'knowledge/examples/zz-from-doc.yaml'), block('# knowledge/examples/fake-shopping.yaml'));
    const signalsFile = path.join(root, 'knowledge/signals.yaml');
    const signals = parse(readFileSync(signalsFile, 'utf8'));
    signals.signals.push(...parse(block('- id: concert-ticket-deposit')));
    writeFileSync(signalsFile, stringify(signals));

    const r = loadContent(root);
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (!r.ok) return;
    expect(r.content.scenarioById.get('fake-shopping-concert-ticket')?.title).toBe('演唱会门票“内部转让”');
    expect(r.content.questionById.has('q-fs-101')).toBe(true);
    expect(r.content.questionById.has('q-fs-102')).toBe(true);
    expect(r.content.signalById.has('concert-ticket-deposit')).toBe(true);
    expect(r.content.examples.some((e) => e.id === 'fs-201' && e.label === 'fake-shopping')).toBe(true);
  });
});
