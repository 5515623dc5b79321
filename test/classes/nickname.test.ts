import { describe, expect, it } from 'vitest';
import { looksLikeRealName, nicknameKey, validateNickname } from '../../src/classes/nickname.js';

describe('nicknames', () => {
  it.each(['小熊猫', '三班学霸', 'Tiger', '反诈小卫士', '老王', '王者', '李同学', '赵哥', 'A', '🐼熊猫', '5号同学', '一二三四五六七八九十一二'])('when a student picks "%s", then it is accepted', (n) => {
    expect(validateNickname(n)).toEqual({ ok: true, nickname: n });
  });

  it('when a nickname has extra spaces or full-width letters, then it is tidied', () => {
    expect(validateNickname('  小  熊猫 ')).toEqual({ ok: true, nickname: '小 熊猫' });
    expect(validateNickname('ＴＩＧＥＲ')).toEqual({ ok: true, nickname: 'TIGER' });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['一二三四五六七八九十一二三', 'too-long'],
    ['13800000000', 'digits'],
    ['小明138 0000 0000', 'digits'],
    ['51010119900101', 'digits'],
    ['QQ 12345', 'digits'],
    ['www.jd-tuikuan.cc', 'link'],
    ['a@b.cn', 'link'],
    ['傻逼', 'abuse'],
    ['S B', 'abuse'],
    ['你妈的', 'abuse'],
    ['fuck-you', 'abuse'],
    ['张伟', 'real-name'],
    ['王小明', 'real-name'],
    ['欧阳娜娜', 'real-name'],
    ['<script>', 'symbols'],
    ['a\u200bb', 'symbols'],
  ])('when a student picks "%s", then it is refused (%s)', (n, reason) => {
    expect(validateNickname(n)).toEqual({ ok: false, reason });
  });

  it('when a name-shaped nickname has a nickname marker, then it is not taken for a real name', () => {
    expect(looksLikeRealName('小李')).toBe(false);
    expect(looksLikeRealName('李同学')).toBe(false);
    expect(looksLikeRealName('刘宝宝')).toBe(false);
    expect(looksLikeRealName('王王')).toBe(false);
    expect(looksLikeRealName('李华')).toBe(true);
  });

  it('when two nicknames differ only in case, width or spaces, then they have the same key', () => {
    expect(nicknameKey('Tiger')).toBe(nicknameKey('ＴＩＧＥＲ'));
    expect(nicknameKey('小 熊猫')).toBe(nicknameKey('小熊猫'));
  });
});
