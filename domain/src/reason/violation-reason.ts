import { z } from 'zod';
import { type Language, reasonCodes } from './reason-code.ts';

/**
 * Violations open on every verdict reason, and on two duties that are not a gate's verdict: a confirmed positive
 * rapid test (docs/rapid-test.md) and a 双随机 inspection finding (docs/cross-inspection.md).
 */
export const violationOnlyReasons = ['RAPID_TEST_POSITIVE', 'CROSS_INSPECTION'] as const;
export type ViolationOnlyReason = (typeof violationOnlyReasons)[number];

/** Every reason a violation can carry: one enum. */
export const ViolationReason = z.enum([...reasonCodes, ...violationOnlyReasons]);
export type ViolationReason = z.infer<typeof ViolationReason>;

/** The words for the reasons that are not verdict reasons; verdict reasons read from reasonMessages. */
export const violationReasonMessages: Record<Language, Record<ViolationOnlyReason, string>> = {
  'zh-CN': {
    RAPID_TEST_POSITIVE: '快检阳性，复检确认不合格',
    CROSS_INSPECTION: '双随机抽查发现问题',
  },
  en: {
    RAPID_TEST_POSITIVE: 'Rapid test positive, confirmed by the retest',
    CROSS_INSPECTION: 'Found in a random cross-inspection',
  },
};
