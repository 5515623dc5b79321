import { describe, expect, it } from 'vitest';
import { findLinks, imitatedBrand, isShortLink } from '../../src/triage/links.js';

const flagsOf = (text: string) => findLinks(text).flatMap((l) => l.flags);

describe('when links in a message are judged', () => {
  it('then look-alikes of official domains are flagged with the brand they imitate', () => {
    expect(imitatedBrand('jd-tuikuan.cc')).toBe('京东');
    expect(imitatedBrand('icbc-vip.top')).toBe('工商银行');
    expect(imitatedBrand('www.12306-gaiqian.com')).toBe('12306');
    expect(imitatedBrand('a1ipay-verify.top')).toBe('支付宝');
    expect(imitatedBrand('taob4o.shop')).toBe('淘宝/天猫');
    expect(imitatedBrand('www.gov.cn.xyz-check.com')).toBe('政府网站');
    expect(imitatedBrand('etc-renzheng.top')).toBe('ETC');
    expect(flagsOf('请登录 http://icbc.com.cn.safe-check.top/login 验证')).toContain('lookalike');
  });

  it('then the real official domains are not flagged', () => {
    for (const host of ['www.12306.cn', 'icbc.com.cn', 'www.icbc.com.cn', 'chengdu.gov.cn', 'www.jd.com', 'item.taobao.com', 'www.chsi.com.cn', 'example.com']) {
      expect(imitatedBrand(host), host).toBeNull();
    }
  });

  it('then short links are flagged because their destination is hidden', () => {
    expect(isShortLink('t.cn', '/A6x9Kq')).toBe(true);
    expect(isShortLink('bit.ly', '/3xYz')).toBe(true);
    expect(isShortLink('dwz.cn', '/abc')).toBe(true);
    expect(flagsOf('戳这里领红包 t.cn/A6x9Kq')).toContain('short-link');
    expect(isShortLink('www.12306.cn', '/index')).toBe(false);
    expect(isShortLink('www.jd.com', '/help')).toBe(false);
  });

  it('then links to raw IP addresses are flagged', () => {
    const [l] = findLinks('请访问 http://123.45.67.89:8080/login.html 认证');
    expect(l.isIp).toBe(true);
    expect(l.flags).toContain('raw-ip');
    expect(l.mask).toBe('http://123.45.67.89:8080/…');
  });

  it('then Android package downloads are flagged and stay visible after redaction', () => {
    const [l] = findLinks('下载 https://dl.example-app.top/files/anquan.apk?v=2 安装');
    expect(l.isApk).toBe(true);
    expect(l.flags).toContain('apk');
    expect(l.mask).toBe('https://dl.example-app.top/….apk');
  });

  it('then the "@" trick hides the real host behind an official-looking name', () => {
    const [l] = findLinks('http://www.icbc.com.cn@evil-site.top/a');
    expect(l.host).toBe('evil-site.top');
    expect(l.flags).toContain('userinfo');
  });

  it('then ordinary words with dots are not mistaken for links', () => {
    expect(findLinks('版本v1.2和3.5万元，Node.js，e.g. 例如')).toEqual([]);
  });

  it('then e-mail addresses are found with their domain', () => {
    const [l] = findLinks('联系 kefu@jd-tuikuan.cc 办理');
    expect(l.kind).toBe('email');
    expect(l.host).toBe('jd-tuikuan.cc');
    expect(l.imitates).toBe('京东');
  });
});
