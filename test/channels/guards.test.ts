import { describe, expect, it } from 'vitest';
import { isLoopbackUrl, jsonDepth, KeyedQueue, plausibleChannelToken, RateLimiter } from '../../src/channels/guards.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('when a channel token arrives', () => {
  it('then a well-formed RS256 token from the Bot Framework issuer goes on to real validation', () => {
    expect(plausibleChannelToken(`Bearer ${b64({ alg: 'RS256', kid: 'k' })}.${b64({ iss: 'https://api.botframework.com' })}.c2ln`)).toBe(true);
    expect(plausibleChannelToken(`Bearer ${b64({ alg: 'RS256' })}.${b64({ iss: 'https://login.microsoftonline.com/tenant/v2.0' })}.c2ln`)).toBe(true);
  });
  it.each([
    ['no header', undefined],
    ['not bearer', 'Basic abc'],
    ['HS256 (forgeable with a shared secret)', `Bearer ${b64({ alg: 'HS256' })}.${b64({ iss: 'https://api.botframework.com' })}.c2ln`],
    ['alg none', `Bearer ${b64({ alg: 'none' })}.${b64({ iss: 'https://api.botframework.com' })}.`],
    ['foreign issuer', `Bearer ${b64({ alg: 'RS256' })}.${b64({ iss: 'https://evil.example' })}.c2ln`],
    ['not JSON inside', 'Bearer aaa.bbb.ccc'],
  ])('then %s is refused before any key is fetched', (_n, header) => {
    expect(plausibleChannelToken(header)).toBe(false);
  });
});

describe('when a body is checked', () => {
  it('then depth is measured without recursion, even for absurd nesting', () => {
    let v: unknown = 1;
    for (let i = 0; i < 100_000; i++) v = [v];
    expect(jsonDepth(v)).toBeGreaterThan(24);
    expect(jsonDepth({ a: { b: [1, 2] } })).toBe(3);
  });
  it('then only this machine counts as loopback', () => {
    expect(isLoopbackUrl('http://127.0.0.1:3978/')).toBe(true);
    expect(isLoopbackUrl('http://localhost/x')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:80/')).toBe(true);
    expect(isLoopbackUrl('http://127.0.0.1.evil.com/')).toBe(false);
    expect(isLoopbackUrl('http://10.0.0.1/')).toBe(false);
    expect(isLoopbackUrl('file:///etc/passwd')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});

describe('when one user sends many messages', () => {
  it('then the rate limit allows the limit, refuses kindly once, then refuses, and resets next window', () => {
    let t = 0;
    const r = new RateLimiter(2, 60_000, () => t);
    expect([r.hit('a'), r.hit('a'), r.hit('a'), r.hit('a'), r.hit('b')]).toEqual(['ok', 'ok', 'first-refusal', 'refused', 'ok']);
    t = 60_000;
    expect(r.hit('a')).toBe('ok');
  });
  it('then their turns run one at a time, in order, while other users run in parallel', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => () => new Promise<void>((res) => setTimeout(() => (log.push(name), res()), ms));
    await Promise.all([q.run('u', task('u1', 30)), q.run('u', task('u2', 1)), q.run('v', task('v1', 5))]);
    expect(log).toEqual(['v1', 'u1', 'u2']);
    expect(q.pending).toBe(0);
  });
  it('then a failing turn does not block the next one', async () => {
    const q = new KeyedQueue();
    await expect(q.run('u', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(q.run('u', async () => 'ok')).resolves.toBe('ok');
  });
});
