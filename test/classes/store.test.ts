import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClassItem, QuizSpec } from '../../src/classes/types.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createClassRepo, hashReportToken, REPORT_TOKEN_RE } from '../../src/store/classes.js';

const SECRET = 'test-secret-0123456789abcdef';
const T0 = Date.UTC(2025, 2, 3, 1);
const HOUR = 3_600_000;
const item = (id: string): ClassItem => ({ id, version: 1, fraudType: 'other', difficulty: 1, kind: 'scam-or-not', prompt: 'p', options: ['是诈骗', '不是诈骗'], correct: 0, explain: 'e' });
const spec: QuizSpec = { audience: 'middle', types: 'top', count: 2, prePost: false };

let store: Store;
beforeEach(async () => {
  store = await openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'fanzha-class-')), secret: SECRET });
});
afterEach(() => store.close());

const teacher = () => store.userKey('test', 'teacher');
const student = (n: number) => store.userKey('test', `student-${n}`);
const newSession = (repo = createClassRepo(store)) => repo.create({ teacherKey: teacher(), spec, items: [item('a'), item('b')], testItems: [], now: T0, expiresAt: T0 + 3 * HOUR });

describe('class sessions in the store', () => {
  it('when a session is created, then its report token is random and only its hash is stored', async () => {
    const { session, reportToken } = await newSession();
    expect(reportToken).toMatch(REPORT_TOKEN_RE);
    const row = await store.get<Record<string, unknown>>('SELECT * FROM class_sessions WHERE id = ?', [session.id]);
    expect(JSON.stringify(row)).not.toContain(reportToken);
    expect(row!.report_hash).toBe(hashReportToken(reportToken));
    const repo = createClassRepo(store);
    expect((await repo.byReportToken(reportToken))?.id).toBe(session.id);
    expect(await repo.byReportToken(reportToken.slice(0, -1) + (reportToken.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    expect(await repo.byReportToken('../../etc/passwd')).toBeUndefined();
  });

  it('when the report link is replaced, then the old token stops working', async () => {
    const repo = createClassRepo(store);
    const { session, reportToken } = await newSession(repo);
    const fresh = await repo.rotateReportToken(session.id, teacher());
    expect(fresh).toMatch(REPORT_TOKEN_RE);
    expect(await repo.byReportToken(reportToken)).toBeUndefined();
    expect((await repo.byReportToken(fresh!))?.id).toBe(session.id);
    expect(await repo.rotateReportToken(session.id, student(1))).toBeUndefined();
  });

  it('when the random code collides with one ever issued, even of a deleted session, then another code is drawn', async () => {
    const codes = ['ABC234', 'ABC234', 'XYZ789'];
    const repo = createClassRepo(store, { newCode: () => codes.shift()! });
    const first = await newSession(repo);
    expect(first.session.code).toBe('ABC234');
    await store.deleteUser(teacher()); // the teacher's session goes with their data…
    expect(await repo.byCode('ABC234')).toBeUndefined();
    const second = await newSession(repo); // …but its code is never given out again
    expect(second.session.code).toBe('XYZ789');
    expect((await store.all('SELECT code FROM class_codes ORDER BY code')).map((r) => r.code)).toEqual(['ABC234', 'XYZ789']);
  });

  it('when two students pick the same nickname in different case, then the second is told it is taken; the same user rejoining is recognised', async () => {
    const repo = createClassRepo(store);
    const { session } = await newSession(repo);
    const a = await repo.join(session.id, student(1), 'Tiger', T0);
    expect(a.kind).toBe('joined');
    expect((await repo.join(session.id, student(2), 'TIGER', T0)).kind).toBe('nickname-taken');
    const again = await repo.join(session.id, student(1), '别的名字', T0);
    expect(again).toMatchObject({ kind: 'returning', student: { nickname: 'Tiger' } });
  });

  it('when a student answers the same question twice, then only the first answer counts', async () => {
    const repo = createClassRepo(store);
    const { session } = await newSession(repo);
    const j = await repo.join(session.id, student(1), 'Tiger', T0);
    if (j.kind === 'nickname-taken') throw new Error('unexpected');
    const answer = { studentId: j.student.id, phase: 'main' as const, index: 0, questionId: 'a', fraudType: 'other' as const, chosen: 0, correct: true, at: T0 + 1 };
    expect(await repo.answer(session.id, answer, T0 + 1)).toBe('recorded');
    expect(await repo.answer(session.id, { ...answer, chosen: 1, correct: false, at: T0 + 2 }, T0 + 2)).toBe('duplicate');
    const { answers } = await repo.reportData(session.id);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ chosen: 0, correct: true });
  });

  it('when the session is closed or has expired, then answers are refused', async () => {
    const repo = createClassRepo(store);
    const { session } = await newSession(repo);
    const j = await repo.join(session.id, student(1), 'Tiger', T0);
    if (j.kind === 'nickname-taken') throw new Error('unexpected');
    const answer = { studentId: j.student.id, phase: 'main' as const, index: 0, questionId: 'a', fraudType: 'other' as const, chosen: 0, correct: true, at: T0 };
    expect(await repo.answer(session.id, answer, T0 + 3 * HOUR)).toBe('closed');
    expect(await repo.close(session.id, student(1), T0)).toBe(false); // not the teacher
    expect(await repo.close(session.id, teacher(), T0 + 5)).toBe(true);
    expect(await repo.answer(session.id, answer, T0 + 6)).toBe('closed');
    expect(await repo.latestOpen(teacher(), T0 + 6)).toBeUndefined();
  });

  it('when a student deletes their data, then their class rows go with it and the report no longer lists them', async () => {
    const repo = createClassRepo(store);
    const { session } = await newSession(repo);
    for (const n of [1, 2]) {
      const j = await repo.join(session.id, student(n), `s${n}`, T0);
      if (j.kind === 'nickname-taken') throw new Error('unexpected');
      await repo.answer(session.id, { studentId: j.student.id, phase: 'main', index: 0, questionId: 'a', fraudType: 'other', chosen: 0, correct: true, at: T0 }, T0);
    }
    await store.deleteUser(student(1));
    const { students, answers } = await repo.reportData(session.id);
    expect(students.map((s) => s.nickname)).toEqual(['s2']);
    expect(answers).toHaveLength(1);
    expect(await repo.progress(session.id)).toEqual({ joined: 1, finished: 0, preDone: 0, postDone: 0 });
  });
});
