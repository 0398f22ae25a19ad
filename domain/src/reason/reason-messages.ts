import type { Language, ReasonCode } from './reason-code.ts';

/** One sentence per reason and language, written for a gate worker, not an engineer. */
export const reasonMessages: Record<Language, Record<ReasonCode, string>> = {
  'zh-CN': {
    MISSING: '未出示承诺达标合格证',
    MALFORMED: '二维码无法识别，请重新扫描或手工录入',
    BAD_SIGNATURE: '合格证签名无效，可能被篡改',
    UNKNOWN_ISSUER: '开具主体未登记，无法核验',
    KEY_NOT_VALID: '开具所用密钥不在有效期内',
    REVOKED: '该合格证已作废',
    TOO_OLD: '合格证开具时间过久，超出该品类允许期限',
    ISSUED_IN_FUTURE: '合格证开具时间晚于当前时间，请核对设备时钟',
    QUANTITY_EXCEEDED: '该合格证数量已用完，疑似重复使用；请索取卖方开具的合格证（样式二）',
    INSUFFICIENT_COVERAGE: '所出示合格证的数量不足以覆盖申报数量',
    PRODUCT_MISMATCH: '合格证产品与申报产品不符',
    UNIT_MISMATCH: '合格证计量单位与申报单位不符（如头数与重量）',
    SECOND_DOCUMENT_REQUIRED: '该品类还需出示其他证明（如动物检疫合格证明）',
    UNVERIFIABLE: '无法在线核验的外部二维码，需人工复核',
    PAPER_UNVERIFIED: '纸质合格证，需人工复核',
    UNVERIFIED_SOURCES: '该合格证的货品含未经核验的来源（纸质或其他平台的码），需人工复核',
    DUPLICATE_READ: '同一合格证重复扫描，已忽略',
    SNAPSHOT_STALE: '本机核验数据已过期，请联网更新后再放行',
    RULE_ERROR: '核验规则无法执行，需人工复核',
  },
  en: {
    MISSING: 'No compliance certificate was presented',
    MALFORMED: 'The code cannot be read; scan again or enter it by hand',
    BAD_SIGNATURE: 'The certificate signature is invalid; it may have been altered',
    UNKNOWN_ISSUER: 'The issuer is not registered and cannot be verified',
    KEY_NOT_VALID: 'The signing key was not valid at the time of issue',
    REVOKED: 'This certificate has been voided',
    TOO_OLD: 'The certificate is older than this category allows',
    ISSUED_IN_FUTURE: 'The certificate is dated in the future; check the device clock',
    QUANTITY_EXCEEDED:
      'This certificate is used up, which suggests re-use; ask for the seller’s own certificate (template 2)',
    INSUFFICIENT_COVERAGE: 'The certificates shown do not cover the declared quantity',
    PRODUCT_MISMATCH: 'The certified product does not match the declared product',
    UNIT_MISMATCH: 'The certified unit does not match the declared unit (e.g. heads against weight)',
    SECOND_DOCUMENT_REQUIRED:
      'This category also needs another document (e.g. an animal quarantine certificate)',
    UNVERIFIABLE: 'An external code that cannot be verified here; needs manual review',
    PAPER_UNVERIFIED: 'A paper certificate; needs manual review',
    UNVERIFIED_SOURCES:
      'Part of these goods came from sources nobody could verify (paper or another platform’s code); needs manual review',
    DUPLICATE_READ: 'The same certificate was scanned twice; ignored',
    SNAPSHOT_STALE: 'This device’s trust data is out of date; reconnect to update',
    RULE_ERROR: 'A checking rule could not be applied; needs manual review',
  },
};

export function explainReason(code: ReasonCode, language: Language = 'zh-CN'): string {
  return reasonMessages[language][code];
}
