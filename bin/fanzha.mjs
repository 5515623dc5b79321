#!/usr/bin/env node
// Entry point of the `fanzha` command: runs the TypeScript CLI through tsx, no build step.
import { register } from 'tsx/esm/api';

// `fanzha triage … | head` closes the pipe early: that is a normal end, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
