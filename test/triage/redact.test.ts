import { describe, expect, it } from 'vitest';
import { isValidIdNumber, luhnValid } from '../../src/triage/numbers.js';
import { redact, redactText } from '../../src/triage/redact.js';

// Obviously fake numbers: region code 990101 does not exist; 4111… is the well-known test card.
const FAKE_ID = '990101199001010035';
const FAKE_ID_X = '99010120000100006X';
const FAKE_CARD = '4111111111111111';
const FAKE_CARD_19 = '6222000000000000004';

describe('when personal data is redacted', () => {
  it('then mainland mobile numbers are masked whatever their spacing or prefix', () => {
    for (const raw of ['13800000000', '138 0000 0000', '138-0000-0000', '+86 138 0000 0000', '+86-13800000000', '0086 13800000000', '8613800000000']) {
      const out = redactText(`电话${raw}联系我`);
      expect(out, raw).not.toMatch(/0000/);
      expect(out, raw).toMatch(/138\*{8}/);
    }
  });

  it('then landlines keep their area code only', () => {
    expect(redactText('座机028-12345678')).toBe('座机028-********');
    expect(redactText('座机 0827 1234567')).toBe('座机 0827-*******');
  });

  it('then 18-digit ID numbers with a valid check digit are masked', () => {
    expect(isValidIdNumber(FAKE_ID)).toBe(true);
    expect(redactText(`身份证${FAKE_ID}`)).toBe('身份证[身份证号]');
    expect(redactText(`身份证号${FAKE_ID_X.toLowerCase()}。`)).toBe('身份证号[身份证号]。');
  });

  it('then an 18-digit number with a wrong check digit is not called an ID but is still hidden', () => {
    const wrong = FAKE_ID.slice(0, 17) + '9';
    expect(isValidIdNumber(wrong)).toBe(false);
    const out = redactText(`号码${wrong}`);
    expect(out).not.toContain('[身份证号]');
    expect(out).not.toContain(wrong);
  });

  it('then bank cards passing Luhn are masked, with or without spaces', () => {
    expect(luhnValid(FAKE_CARD)).toBe(true);
    expect(redactText(`卡号${FAKE_CARD}`)).toBe('卡号[银行卡号]');
    expect(redactText('卡号 4111 1111 1111 1111 尽快')).toBe('卡号 [银行卡号] 尽快');
    expect(redactText(`卡号${FAKE_CARD_19}`)).toBe('卡号[银行卡号]');
  });

  it('then the local part of an e-mail address is masked and its domain kept', () => {
    expect(redactText('发到 wang.xiaoli+1@example.com 谢谢')).toBe('发到 ***@example.com 谢谢');
  });

  it("then a URL's path and query are dropped but its domain is kept as evidence", () => {
    expect(redactText('点击 https://jd-tuikuan.cc/refund?uid=13800000000&token=abc 办理')).toBe('点击 https://jd-tuikuan.cc/… 办理');
    expect(redactText('登录icbc-vip.top/login?id=7查看')).toBe('登录icbc-vip.top/…查看');
    expect(redactText('官网 https://www.12306.cn')).toBe('官网 https://www.12306.cn');
  });

  it('then amounts, dates, short numbers and public service numbers are kept', () => {
    const s = '转账5000元，余额3,456.78元，¥1200，2024-05-01，尾号1234，客服95588，反诈专线028-96110，热线400-123-4567';
    expect(redactText(s)).toBe(s);
  });

  it('then a run of digits holding an amount and a phone number masks only the phone', () => {
    expect(redactText('转5000 13800000000')).toBe('转5000 138********');
  });

  it('then offsets in the normalised text map to the redacted text', () => {
    const text = '加我13800000000领取';
    const r = redact(text);
    const at = text.indexOf('领取');
    const m = r.toRedacted(at, at + 2);
    expect(r.text.slice(m.start, m.end)).toBe('领取');
    // A span inside a masked number widens to the whole mask.
    const inside = r.toRedacted(4, 6);
    expect(r.text.slice(inside.start, inside.end)).toBe('138********');
  });

  it('then 100 KB of digits is redacted in well under 50 ms', () => {
    const digits = '7'.repeat(100 * 1024);
    const t0 = performance.now();
    const out = redactText(digits);
    const ms = performance.now() - t0;
    expect(out).toBe('[长数字]');
    expect(ms).toBeLessThan(50);
    const spaced = '1 '.repeat(50 * 1024);
    const t1 = performance.now();
    redactText(spaced);
    expect(performance.now() - t1).toBeLessThan(50);
  });
});
