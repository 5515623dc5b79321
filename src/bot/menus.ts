/** The main menu, offered as quick-reply chips after most answers. */
import { text, type Button, type TurnReplies } from './replies.js';
import { zh as S } from './strings.zh.js';

export const menuButtons = (): Button[] => [
  { title: S.menu.triage, value: { a: 'triage-prompt' } },
  { title: S.menu.scenarios, value: { a: 'scenarios' } },
  { title: S.menu.quiz, value: { a: 'quiz' } },
  { title: S.menu.types, value: { a: 'types' } },
  { title: S.menu.progress, value: { a: 'progress' } },
  { title: S.menu.hotlines, value: { a: 'hotlines' } },
  { title: S.menu.delete, value: { a: 'delete' } },
];

export const menu = (lead?: string): TurnReplies => ({
  replies: [text(lead ? `${lead}\n\n${S.menuTitle}` : S.menuTitle)],
  suggestions: menuButtons(),
});
