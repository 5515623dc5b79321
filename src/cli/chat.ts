/**
 * `npm run chat`: talk to the same bot, with the same content and the same SQLite storage,
 * in the terminal. No Emulator, no account. Type a number to press a button.
 */
import { userInfo } from 'node:os';
import readline from 'node:readline';
import { ActivityTypes } from 'botbuilder';
import { ConsoleAdapter } from '../channels/console.js';
import { loadConfig } from '../config.js';
import { buildCore, describeStartupError } from '../index.js';
import { silentLogger } from '../log.js';

async function main() {
  let core;
  try {
    core = await buildCore(loadConfig({ NODE_ENV: 'development', ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' }), { log: silentLogger });
  } catch (err) {
    process.stderr.write(describeStartupError(err) + '\n');
    process.exit(1);
  }
  const user = process.env.FANZHA_CHAT_USER ?? (() => {
    try {
      return userInfo().username;
    } catch {
      return 'local';
    }
  })();
  const adapter = new ConsoleAdapter({ write: (t) => process.stdout.write('\n' + t) }, { channelId: 'console', userId: user, conversationId: `console-${user}` });
  adapter.onTurnError = (context, error) => core.bot.onTurnError(context, error);
  const logic = (context: import('botbuilder').TurnContext) => core.bot.run(context);

  await adapter.receive({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: user, name: '我' }] }, logic);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const prompt = () => process.stdout.write('\n你> ');
  prompt();
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue.then(async () => {
      // Piped input is not echoed by a terminal: show it, so a transcript reads like a conversation.
      if (!process.stdin.isTTY) process.stdout.write(line + '\n');
      await adapter.receive({ type: ActivityTypes.Message, text: line.slice(0, 100_000) }, logic);
      prompt();
    });
  });
  rl.on('close', () => {
    void queue.then(async () => {
      await core.close();
      process.stdout.write('\n再见！遇到可疑消息，随时来问。\n');
      process.exit(0);
    });
  });
}

void main();
