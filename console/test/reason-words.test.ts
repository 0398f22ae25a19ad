import { ViolationReason } from '@liangzheng/domain/reason/violation-reason';
import { describe, expect, it } from 'vitest';
import { resources } from '../src/i18n/resources.ts';

/**
 * Every reason a verdict or a violation carries has a label in both languages: the regulator's queue, the
 * dashboard and the gate never show a bare code such as RAPID_TEST_POSITIVE.
 */
describe('reason labels', () => {
  const tables = {
    'zh-CN': resources['zh-CN'].translation.reason as Record<string, string>,
    en: resources.en.translation.reason as Record<string, string>,
  };

  it.each(ViolationReason.options)('labels %s in zh-CN and English', (code) => {
    for (const table of Object.values(tables)) {
      expect(table[code], code).toBeTruthy();
      expect(table[code]).not.toBe(code);
    }
  });

  it('says what a confirmed positive rapid test is, in Chinese first', () => {
    expect(tables['zh-CN'].RAPID_TEST_POSITIVE).toContain('快检阳性');
    expect(tables.en.RAPID_TEST_POSITIVE).toContain('Rapid test positive');
  });
});
