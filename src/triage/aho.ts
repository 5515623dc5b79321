/**
 * Aho–Corasick automaton over many literal keywords: one pass over the text finds every
 * occurrence of every keyword, in time linear in the text (plus matches). Signals carry up to
 * 60 keywords each; testing them one by one with indexOf would cost ~50 scans per message.
 */
export interface KeywordMatch {
  /** Index of the keyword in the list given to the constructor. */
  keyword: number;
  start: number;
  end: number;
}

export class KeywordAutomaton {
  private readonly next: Array<Map<number, number>> = [new Map()];
  private readonly fail: number[] = [0];
  /** Keyword indexes ending at each state (own and inherited through failure links). */
  private readonly out: number[][] = [[]];
  private readonly lengths: number[] = [];

  constructor(keywords: readonly string[]) {
    keywords.forEach((kw, k) => {
      this.lengths.push(kw.length);
      if (!kw) return;
      let s = 0;
      for (let i = 0; i < kw.length; i++) {
        const c = kw.charCodeAt(i);
        let t = this.next[s].get(c);
        if (t === undefined) {
          t = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[s].set(c, t);
        }
        s = t;
      }
      this.out[s].push(k);
    });
    // Breadth-first: failure links and merged outputs.
    const queue: number[] = [];
    for (const t of this.next[0].values()) queue.push(t);
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      for (const [c, t] of this.next[s]) {
        queue.push(t);
        let f = this.fail[s];
        while (f !== 0 && !this.next[f].has(c)) f = this.fail[f];
        const ft = this.next[f].get(c);
        this.fail[t] = ft !== undefined && ft !== t ? ft : 0;
        if (this.out[this.fail[t]].length) this.out[t] = this.out[t].concat(this.out[this.fail[t]]);
      }
    }
  }

  get size(): number {
    return this.next.length;
  }

  /** The state after reading character code `c` in state `s` (following failure links). */
  private step(s: number, c: number): number {
    let t = this.next[s].get(c);
    while (t === undefined && s !== 0) {
      s = this.fail[s];
      t = this.next[s].get(c);
    }
    return t ?? 0;
  }

  /** Which keywords occur at all: flags indexed like the constructor's list. */
  present(text: string): Uint8Array {
    const seen = new Uint8Array(this.lengths.length);
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      s = this.step(s, text.charCodeAt(i));
      for (const k of this.out[s]) seen[k] = 1;
    }
    return seen;
  }

  /** Every occurrence, in order of end position; at most `limit` matches. */
  search(text: string, limit = 500): KeywordMatch[] {
    const found: KeywordMatch[] = [];
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      s = this.step(s, text.charCodeAt(i));
      const o = this.out[s];
      if (o.length) {
        for (const k of o) {
          found.push({ keyword: k, start: i + 1 - this.lengths[k], end: i + 1 });
          if (found.length >= limit) return found;
        }
      }
    }
    return found;
  }
}
