/**
 * Child process for the crash test: writes answers (and some bot state) as fast as it can,
 * several in flight at once, and prints "ack <n>" after each write is acknowledged.
 * Usage: node --import tsx test/store/crash-writer.ts <dataDir> <firstIndex>
 */
import { openStore } from '../../src/store/index.js';
import { SECRET, answer } from './data.js';

const [dataDir, firstArg] = process.argv.slice(2);
const first = Number(firstArg ?? 0);
const store = await openStore({ dataDir, secret: SECRET });
const key = store.userKey('webchat', 'crash-user');
process.stdout.write('ready\n');

let next = first;
async function worker() {
  for (;;) {
    const i = next++;
    if (i % 10 === 0) {
      await store.storage.write({ [`webchat/conversations/crash-${i}`]: { i, pad: 'x'.repeat(200) } });
      process.stdout.write(`state ${i}\n`);
    }
    await store.recordAnswer(key, answer(i, { itemId: `crash-${i}` }));
    process.stdout.write(`ack ${i}\n`);
  }
}
await Promise.all(Array.from({ length: 8 }, worker));
