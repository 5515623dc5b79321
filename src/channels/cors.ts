/**
 * Cross-origin access for the Direct Line endpoints and the web-chat session, so a school or
 * community site can embed Web Chat pointed at this service (as it could at Azure's Direct
 * Line). Safe to open to every origin: these routes authenticate with bearer tokens in
 * headers or bodies, never cookies, so no credentials are allowed and none are sent.
 * Preflight requests are answered before routing.
 */
import type { Request, Response, Server } from 'restify';

/** Header names a client may ask to send: plain tokens only, a bounded list. */
const HEADER_LIST_RE = /^[A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+){0,19}$/;

export function allowCrossOrigin(server: Server, applies: (path: string) => boolean): void {
  server.pre((req: Request, res: Response, next: (arg?: false) => void) => {
    const path = (req.url ?? '').split('?')[0];
    if (!req.headers.origin || !applies(path)) return next();
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method !== 'OPTIONS') return next();
    const asked = String(req.headers['access-control-request-headers'] ?? '');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', HEADER_LIST_RE.test(asked) ? asked : 'Authorization, Content-Type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.writeHead(204);
    res.end();
    return next(false);
  });
}
