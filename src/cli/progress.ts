/**
 * `fanzha progress --user ID [--channel CH] [--data DIR]`: a user's progress per fraud type,
 * due reviews and the next recommendation, in Chinese. The raw id is only hashed (with the
 * same secret as the server) to find the rows; it is never stored.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadContent, type Content } from '../content/load.js';
import type { FraudTypeId } from '../content/schema.js';
import { chinaDate, learningContent, masteryHint, progressSummary, type AnswerRecord, type LearningContent } from '../learning/index.js';
import { DEFAULT_DB_FILE, SECRET_FILE, StoreError, openStore, resolveSecret, type Profile } from '../store/index.js';
import { UsageError, option, type Io } from './io.js';

/** Channels tried, in order, when --channel is not given. */
const CHANNELS = ['webchat', 'directline', 'emulator', 'console', 'msteams', 'test'];

/** Names used when the knowledge base cannot be loaded. */
const TYPE_NAMES: Record<FraudTypeId, string> = {
  'order-brushing': '刷单返利类',
  'loan-credit': '贷款、代办信用卡、虚假征信类',
  'fake-investment': '虚假网络投资理财类',
  'fake-customer-service': '冒充电商物流客服类',
  'impersonate-officials': '冒充公检法、政府机关类',
  'fake-shopping': '虚假购物、服务类',
  sextortion: '约炮、裸聊类',
  'impersonate-acquaintance': '冒充领导熟人类',
  'game-trading': '网络游戏产品虚假交易类',
  'flight-refund': '机票退、改签类',
  romance: '网络婚恋、交友类',
  'military-police-purchase': '冒充军警购物类',
  other: '其他类型',
};

export async function run(args: string[], io: Io): Promise<number> {
  const user = option(args, 'user');
  if (!user) throw new UsageError('用法: fanzha progress --user ID [--channel 渠道] [--data 数据文件夹]');
  const channel = option(args, 'channel');
  const dataDir = path.resolve(io.cwd, option(args, 'data') ?? process.env.DATA_DIR ?? 'data');
  const dbFile = path.join(dataDir, DEFAULT_DB_FILE);
  if (!existsSync(dbFile)) {
    io.err(`还没有数据库：${dbFile}（机器人还没运行过，或者 --data 指错了文件夹）`);
    return 1;
  }
  if (!process.env.USER_KEY_SECRET && !existsSync(path.join(dataDir, SECRET_FILE))) {
    io.err(`找不到用户密钥：既没有设置 USER_KEY_SECRET，也没有 ${path.join(dataDir, SECRET_FILE)}，所以认不出任何用户。`);
    return 1;
  }

  let store;
  try {
    store = await openStore({ dataDir, secret: resolveSecret({ dataDir }).secret });
  } catch (err) {
    if (err instanceof StoreError) {
      io.err(`${err.message}（${err.code}）`);
      return 1;
    }
    throw err;
  }
  try {
    let found: { channel: string; profile?: Profile; history: AnswerRecord[] } | undefined;
    for (const ch of channel ? [channel] : CHANNELS) {
      const key = store.userKey(ch, user);
      const [profile, history] = await Promise.all([store.getProfile(key), store.answers(key)]);
      if (profile || history.length) {
        found = { channel: ch, profile, history };
        break;
      }
    }
    if (!found) {
      io.err(`没有找到这个用户的记录（${channel ? `渠道 ${channel}` : `试过的渠道：${CHANNELS.join('、')}`}）。`);
      return 1;
    }

    const loaded = loadContent(io.cwd);
    const content: Content | undefined = loaded.ok ? loaded.content : undefined;
    if (!loaded.ok) io.err(`（内容有 ${loaded.problems.length} 处问题，下面不显示推荐；用 fanzha validate 查看）`);
    const lc: LearningContent = content ?? learningContent({});
    const now = Date.now();
    const group = found.profile?.group ?? null;
    const sum = progressSummary(lc, { group, history: found.history, now });
    const typeName = (t: FraudTypeId) => content?.fraudTypeById.get(t)?.name.zh ?? TYPE_NAMES[t];
    const groupName = group ? (content?.groupById.get(group)?.name ?? group) : '未选择';
    const title = (kind: string, id: string) =>
      kind === 'scenario'
        ? `情景「${content?.scenarioById.get(id)?.title ?? id}」`
        : `题目「${clip(questionText(content, id) ?? id, 24)}」`;

    io.out(`用户 ${user}（渠道 ${found.channel}）  人群：${groupName}` + (found.profile ? `  首次使用：${chinaDate(found.profile.createdAt)}` : ''));
    const t = sum.totals;
    io.out(
      `已掌握 ${sum.masteredCount}/13 类；答题 ${t.questionsAnswered} 次，答对 ${t.questionsCorrect} 次；` +
        `情景 ${t.scenariosPlayed} 次，躲过骗局 ${t.scenariosAvoided} 次`,
    );
    io.out('');
    io.out(`${pad('诈骗类型', 32)}${pad('掌握度', 8)}${pad('答对/次数', 10)}状态`);
    for (const m of sum.mastery) {
      const status = m.mastered ? '✔ 已掌握' : masteryHint(m)!;
      io.out(`${pad(typeName(m.fraudType), 32)}${pad(`${Math.round(m.score * 100)}%`, 8)}${pad(`${m.correct}/${m.attempts}`, 10)}${status}`);
    }
    io.out('');
    if (sum.due.length) {
      io.out(`该复习的（${sum.due.length}）：`);
      for (const d of sum.due.slice(0, 10)) {
        io.out(`  - ${title(d.kind, d.itemId)}（${typeName(d.fraudType)}，第 ${d.box} 盒，上次${d.lastCorrect ? '答对了' : d.kind === 'scenario' ? '没躲过' : '答错了'}）`);
      }
      if (sum.due.length > 10) io.out(`  ……还有 ${sum.due.length - 10} 个`);
    } else {
      io.out('现在没有要复习的。');
    }
    if (sum.next) io.out(`下一步推荐：${title(sum.next.kind, sum.next.itemId)}（${typeName(sum.next.fraudType)}）—— ${sum.next.reason}`);
    if (sum.certificate) {
      const c = sum.certificate;
      io.out(`🎓 反诈证书：${c.date} 获得（用了 ${c.days} 天，${c.distinctItems} 个不同的题目和情景，正确率 ${Math.round(c.accuracy * 100)}%）`);
    } else {
      io.out(`证书：还差 ${13 - sum.masteredCount} 类没掌握。`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

function questionText(content: Content | undefined, id: string): string | undefined {
  const q = content?.questionById.get(id);
  if (!q) return undefined;
  return q.kind === 'scam-or-not' ? q.message : q.prompt;
}

function clip(s: string, n: number): string {
  const flat = s.replace(/\s+/g, ' ');
  return [...flat].length > n ? [...flat].slice(0, n).join('') + '…' : flat;
}

/** Pad to a display width, counting CJK characters as two columns. */
function pad(s: string, width: number): string {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return s + ' '.repeat(Math.max(1, width - w));
}
