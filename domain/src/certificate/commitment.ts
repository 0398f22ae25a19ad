import type { CertificateKind } from './certificate.ts';

/**
 * 样式一 is the template producers fill in; 样式二 the one a buyer (收购者: a wholesaler, a repacking or reselling
 * vendor) issues for goods it bought under other certificates. Every kind a buyer issues (repack today, resale
 * next) takes 样式二; only `producer` takes 样式一.
 */
export type CertificateTemplate = 'producer' | 'buyer';

export const templateNames: Readonly<Record<CertificateTemplate, string>> = {
  producer: '样式一',
  buyer: '样式二',
};

export function certificateTemplate(kind: CertificateKind | string): CertificateTemplate {
  return kind === 'producer' ? 'producer' : 'buyer';
}

/**
 * The promise itself, in the words of 《农产品质量安全承诺达标合格证管理办法》 (MOA Order 2025 No. 4, in force
 * 2026-02-01), Art. 2: a 承诺达标合格证 certifies that the products sold 未使用禁用农药、兽药及其他化合物且使用的
 * 常规农药、兽药残留不超标. The buyer's template adds what the Order asks of buyers: the certificates of what it
 * bought were collected and are kept (收取并保存), and the mixed or split goods are re-certified in its own name.
 */
const ARTICLE_2_PROMISE = '未使用禁用农药、兽药及其他化合物且使用的常规农药、兽药残留不超标';

export interface Commitment {
  version: string;
  /** where the wording comes from, printed nowhere but kept with the text */
  source: string;
  text: Readonly<Record<CertificateTemplate, string>>;
}

/**
 * Commitment wordings by version. A certificate records the version it was issued under (commitmentVersion), so
 * a later change of wording adds a version here and never rewrites what old certificates promised.
 */
export const commitments: Readonly<Record<string, Commitment>> = {
  '2026': {
    version: '2026',
    source: '农业农村部令2025年第4号《农产品质量安全承诺达标合格证管理办法》第二条',
    text: {
      producer: `我承诺对销售的农产品：${ARTICLE_2_PROMISE}，对承诺的真实性负责。`,
      buyer: `我承诺：已收取并保存所收购农产品的承诺达标合格证，销售的农产品${ARTICLE_2_PROMISE}，对承诺的真实性负责。`,
    },
  },
};

export const CURRENT_COMMITMENT_VERSION = '2026';

/** The commitment printed for a certificate of this kind under this version (the current one when unknown). */
export function commitmentText(kind: CertificateKind | string, version: string): string {
  const commitment = commitments[version] ?? commitments[CURRENT_COMMITMENT_VERSION]!;
  return commitment.text[certificateTemplate(kind)];
}
