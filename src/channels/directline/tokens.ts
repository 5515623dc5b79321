/**
 * Anonymous web identities and Direct Line tokens, both signed with HMAC-SHA256 under the
 * service secret (the same secret as user-key hashing, with its own labels so a signature
 * made for one purpose never verifies for another).
 *
 * - identity `wi1.<userId>.<sig>`: issued once to a browser and kept in its localStorage;
 *   it never expires and proves "I am this anonymous user". It only buys tokens.
 * - token: a short-lived bearer for the Direct Line routes, optionally bound to one
 *   conversation (like Azure's). It is a JWT (HS256 under a key derived for this purpose) whose
 *   `user` claim is the user id, because that is where Web Chat reads the user id from (it
 *   refuses a `dl_` user id that is not embedded in the token).
 *
 * Pure functions; the clock is passed in.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** `dl_` + 22 base64url characters (16 random bytes). The `dl_` prefix is what Azure Direct Line expects for app-issued user ids. */
export const USER_ID_RE = /^dl_[A-Za-z0-9_-]{22}$/;
/** Conversation ids we issue: 22 base64url characters. */
export const CONVERSATION_ID_RE = /^[A-Za-z0-9_-]{22}$/;
/** Longest credential we look at (anything longer is refused before any work). */
export const MAX_CREDENTIAL_LENGTH = 512;

const SIG_RE = /^[A-Za-z0-9_-]{43}$/;

export interface TokenClaims {
  userId: string;
  /** The only conversation this token may use; undefined: any conversation of this user. */
  conversationId?: string;
  /** Unix seconds. */
  expiresAt: number;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export function newUserId(): string {
  return 'dl_' + randomBytes(16).toString('base64url');
}

export function newConversationId(): string {
  return randomBytes(16).toString('base64url');
}

const TOKEN_ISSUER = 'fanzha-directline';
/** base64url of {"alg":"HS256","typ":"JWT"}: the only header a token may have. */
const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

interface JwtPayload {
  iss: string;
  /** The user id (the claim Web Chat reads). */
  user: string;
  conv?: string;
  iat: number;
  exp: number;
}

export class TokenSigner {
  private tokenKey?: Buffer;

  constructor(
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  private sign(label: string, body: string): string {
    return createHmac('sha256', this.secret).update(`${label}\u0000${body}`).digest('base64url');
  }

  private verifySig(label: string, body: string, sig: string): boolean {
    if (!SIG_RE.test(sig)) return false;
    const want = Buffer.from(this.sign(label, body));
    const got = Buffer.from(sig);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  issueIdentity(userId: string = newUserId()): string {
    const body = `wi1.${userId}`;
    return `${body}.${this.sign('fanzha-web-identity', body)}`;
  }

  /** The user id an identity proves, or undefined for anything malformed or forged. */
  verifyIdentity(identity: unknown): string | undefined {
    if (typeof identity !== 'string' || identity.length > MAX_CREDENTIAL_LENGTH) return undefined;
    const parts = identity.split('.');
    if (parts.length !== 3 || parts[0] !== 'wi1' || !USER_ID_RE.test(parts[1])) return undefined;
    return this.verifySig('fanzha-web-identity', `${parts[0]}.${parts[1]}`, parts[2]) ? parts[1] : undefined;
  }

  issueToken(userId: string, ttlSeconds: number, conversationId?: string): { token: string; expiresIn: number; claims: TokenClaims } {
    const iat = Math.floor(this.now() / 1000);
    const expiresAt = iat + ttlSeconds;
    const payload: JwtPayload = { iss: TOKEN_ISSUER, user: userId, ...(conversationId ? { conv: conversationId } : {}), iat, exp: expiresAt };
    const body = `${JWT_HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return { token: `${body}.${this.jwtSig(body)}`, expiresIn: ttlSeconds, claims: { userId, conversationId, expiresAt } };
  }

  verifyToken(token: unknown): TokenCheck {
    if (typeof token !== 'string' || token.length > MAX_CREDENTIAL_LENGTH) return { ok: false, reason: 'malformed' };
    const parts = token.split('.');
    // The header must be exactly ours: no other algorithm is ever considered.
    if (parts.length !== 3 || parts[0] !== JWT_HEADER || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return { ok: false, reason: 'malformed' };
    const body = `${parts[0]}.${parts[1]}`;
    if (!SIG_RE.test(parts[2])) return { ok: false, reason: 'malformed' };
    const want = Buffer.from(this.jwtSig(body));
    const got = Buffer.from(parts[2]);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, reason: 'bad-signature' };
    let p: Partial<JwtPayload>;
    try {
      p = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Partial<JwtPayload>;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (
      p.iss !== TOKEN_ISSUER ||
      typeof p.user !== 'string' ||
      !USER_ID_RE.test(p.user) ||
      (p.conv !== undefined && (typeof p.conv !== 'string' || !CONVERSATION_ID_RE.test(p.conv))) ||
      typeof p.exp !== 'number' ||
      !Number.isSafeInteger(p.exp)
    ) {
      return { ok: false, reason: 'malformed' };
    }
    if (p.exp * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims: { userId: p.user, conversationId: p.conv, expiresAt: p.exp } };
  }

  private jwtSig(body: string): string {
    this.tokenKey ??= createHmac('sha256', this.secret).update('fanzha-directline-token-key').digest();
    return createHmac('sha256', this.tokenKey).update(body).digest('base64url');
  }
}

/** `Authorization: Bearer X` → X, or undefined. */
export function bearer(header: unknown): string | undefined {
  if (typeof header !== 'string' || header.length > MAX_CREDENTIAL_LENGTH + 16) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}
