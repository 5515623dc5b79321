import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoServer, type EchoServer } from './directline-helpers.js';

describe('when a page on another site calls the service', () => {
  let srv: EchoServer;
  beforeAll(async () => {
    srv = await startEchoServer();
  });
  afterAll(() => srv.close());

  it('then a Direct Line preflight is answered before routing, for any origin and without credentials', async () => {
    const r = await fetch(`${srv.url}/v3/directline/conversations`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://school.example.cn', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type, x-ms-bot-agent' },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-allow-headers')).toBe('authorization, content-type, x-ms-bot-agent');
    expect(r.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('then the session and Direct Line answers carry the CORS header, and a garbage header list is not echoed', async () => {
    const s = await fetch(`${srv.url}/api/webchat/session`, { method: 'POST', headers: { Origin: 'https://school.example.cn', 'Content-Type': 'application/json' }, body: '{}' });
    expect(s.status).toBe(200);
    expect(s.headers.get('access-control-allow-origin')).toBe('*');
    const odd = await fetch(`${srv.url}/v3/directline/tokens/generate`, { method: 'OPTIONS', headers: { Origin: 'https://x.example', 'Access-Control-Request-Headers': 'x-ok, bad;header="<b>"' } });
    expect(odd.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type');
  });

  it('then other routes (the page, staff and Bot Framework endpoints) stay same-origin', async () => {
    for (const path of ['/', '/api/messages', '/admin']) {
      const r = await fetch(`${srv.url}${path}`, { method: 'OPTIONS', headers: { Origin: 'https://school.example.cn', 'Access-Control-Request-Method': 'POST' } });
      expect(r.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });
});
