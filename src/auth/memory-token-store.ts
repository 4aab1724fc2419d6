import {
  patchClaims, type AccessHandle, type ActiveToken, type ClaimsPatch, type RefreshHandle, type RotateResult,
  type RotationRequest, type SessionRecord, type TokenStore,
} from './token-store.js';

interface Session {
  record: SessionRecord;
  /** Opaque access token hash -> expiry. */
  access: Map<string, number>;
  /** Refresh token hash -> expiry and whether it was already rotated. */
  refresh: Map<string, { expiresAt: number; used: boolean }>;
  /** JWT id -> expiry: denied when the session is revoked. */
  jwts: Map<string, number>;
}

const SWEEP_MS = 60_000;

/**
 * The embedded default: everything in this process, nothing to install. State is lost on restart and
 * not shared between instances; use Redis for more than one gateway.
 */
export function createMemoryTokenStore({ now }: { now: () => number }): TokenStore {
  const sessions = new Map<string, Session>();
  const bySubject = new Map<string, Set<string>>();
  const denied = new Map<string, number>();

  const sweep = () => {
    const t = now();
    for (const [jti, exp] of denied) if (exp <= t) denied.delete(jti);
    for (const [id, s] of sessions) if (lastUse(s) <= t) drop(id);
  };
  const timer = setInterval(sweep, SWEEP_MS).unref();

  function lastUse(s: Session): number {
    return Math.max(0, ...s.access.values(), ...[...s.refresh.values()].map((r) => r.expiresAt), ...s.jwts.values());
  }

  function drop(id: string): Session | undefined {
    const s = sessions.get(id);
    if (!s) return undefined;
    sessions.delete(id);
    const subject = s.record.claims.subject;
    if (subject !== undefined) bySubject.get(subject)?.delete(id);
    return s;
  }

  function live(id: string): Session | undefined {
    const s = sessions.get(id);
    if (s && s.record.expiresAt <= now()) {
      drop(id);
      return undefined;
    }
    return s;
  }

  function revoke(id: string): SessionRecord | undefined {
    const s = drop(id);
    if (!s) return undefined;
    for (const [jti, exp] of s.jwts) denied.set(jti, exp);
    return s.record;
  }

  const store: TokenStore = {
    kind: 'memory',
    async createSession(record: SessionRecord, access: AccessHandle, refresh?: RefreshHandle) {
      const s: Session = { record: structuredClone(record), access: new Map(), refresh: new Map(), jwts: new Map() };
      if (access.kind === 'opaque') s.access.set(access.hash, access.expiresAt);
      else s.jwts.set(access.jti, access.expiresAt);
      if (refresh) s.refresh.set(refresh.hash, { expiresAt: refresh.expiresAt, used: false });
      sessions.set(record.id, s);
      const subject = record.claims.subject;
      if (subject !== undefined) bySubject.set(subject, (bySubject.get(subject) ?? new Set()).add(record.id));
    },
    async findAccess(id, hash): Promise<ActiveToken | undefined> {
      const s = live(id);
      const expiresAt = s?.access.get(hash);
      if (!s || expiresAt === undefined || expiresAt <= now()) return undefined;
      return { session: s.record, expiresAt };
    },
    async findRefresh(id, hash) {
      const s = live(id);
      const entry = s?.refresh.get(hash);
      if (!s || !entry || entry.used || entry.expiresAt <= now()) return undefined;
      return { session: s.record, expiresAt: entry.expiresAt };
    },
    async rotateRefresh(id, hash, next: RotationRequest): Promise<RotateResult> {
      const s = live(id);
      const entry = s?.refresh.get(hash);
      const t = now();
      if (!s || !entry || entry.expiresAt <= t) return { status: 'invalid' };
      if (entry.used) return { status: 'reused', session: revoke(id)! };
      entry.used = true;
      const accessExpiresAt = Math.min(t + next.accessTtlMs, s.record.expiresAt);
      const refreshExpiresAt = Math.min(t + next.refreshTtlMs, s.record.expiresAt);
      if (next.access.kind === 'opaque') s.access.set(next.access.hash, accessExpiresAt);
      else s.jwts.set(next.access.jti, accessExpiresAt);
      s.refresh.set(next.refreshHash, { expiresAt: refreshExpiresAt, used: false });
      // Forget what can no longer be used, but keep rotated refresh tokens until they expire: reuse detection needs them.
      for (const [h, exp] of s.access) if (exp <= t) s.access.delete(h);
      for (const [h, r] of s.refresh) if (r.expiresAt <= t) s.refresh.delete(h);
      return { status: 'rotated', session: s.record, accessExpiresAt, refreshExpiresAt };
    },
    async revokeAccess(id, hash) {
      return sessions.get(id)?.access.delete(hash) ?? false;
    },
    async revokeSession(id) {
      return revoke(id);
    },
    async denyJwt(jti, expiresAt) {
      if (expiresAt > now()) denied.set(jti, expiresAt);
    },
    isJwtDenied(jti) {
      const exp = denied.get(jti);
      return exp !== undefined && exp > now();
    },
    async updateSubject(subject, patch: ClaimsPatch) {
      let n = 0;
      for (const id of bySubject.get(subject) ?? []) {
        const s = live(id);
        if (!s) continue;
        s.record = { ...s.record, claims: patchClaims(s.record.claims, patch) };
        n++;
      }
      return n;
    },
    async revokeSubject(subject) {
      let n = 0;
      for (const id of [...(bySubject.get(subject) ?? [])]) if (revoke(id)) n++;
      bySubject.delete(subject);
      return n;
    },
    async close() {
      clearInterval(timer);
    },
    [Symbol.asyncDispose]: () => store.close(),
  };
  return store;
}
