/** What a CLI command may touch: streams are passed in so tests can capture them. */
export interface Io {
  stdin: NodeJS.ReadableStream;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Project root holding knowledge/ and scenarios/. */
  cwd: string;
}

/** A mistake by the person typing the command: shown as a short message, never a stack trace. */
export class UsageError extends Error {}

export type Command = (args: string[], io: Io) => Promise<number>;

/** Read `--name value` or `--name=value`; returns undefined when absent. */
export function option(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === `--${name}`) {
      const v = args[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} 后面要跟一个值`);
      return v;
    }
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

export function flag(args: string[], name: string): boolean {
  return args.includes(`--${name}`);
}

/** Arguments that are not options (and not option values). */
export function positionals(args: string[], valued: string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      if (valued.includes(a.slice(2))) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}
