import { originName } from '../subject/origin-name.ts';
import { formatLocalDate } from '../time/local-date.ts';
import { formatQuantity, type Unit } from '../unit/unit.ts';
import type { Basis, CertificateKind } from './certificate.ts';
import {
  type CertificateTemplate,
  certificateTemplate,
  commitmentText,
  templateNames,
} from './commitment.ts';

/** 承诺依据 as the template words it. */
export const basisNames: Readonly<Record<Basis, string>> = {
  quality_control: '质量安全控制符合要求',
  self_tested: '自行检测合格',
  commissioned_test: '委托检测合格',
};

/** What a label needs from a certificate; the server's Certificate has all of it. */
export interface LabelCertificate {
  id: string;
  code: string;
  kind: CertificateKind | string;
  productName: string;
  quantity: number;
  unit: Unit;
  originRegion: string;
  originText: string;
  issuerName: string;
  contact: string;
  basis: Basis;
  commitmentVersion: string;
  issuedAt: string;
  parents: readonly { certificateId: string }[];
}

export interface LabelField {
  label: string;
  value: string;
}

/**
 * Everything printed on a certificate label, in print order, worded and formatted once: the PDF, the HTML label
 * and the printer command sets only lay it out.
 */
export interface LabelContent {
  title: string;
  template: CertificateTemplate;
  /** 样式一 / 样式二, printed small so a checker sees at once which template this is */
  templateName: string;
  fields: LabelField[];
  /** 样式二: the certificates the goods were bought under */
  sourceIds: string[];
  commitment: string;
  /** the certificate id, printed for hand entry when the QR is damaged */
  id: string;
  /** what the QR encodes */
  code: string;
}

export const LABEL_TITLE = '承诺达标合格证';

/** The label's wording for a certificate, with 开具日期 on the market's calendar (`timeZone`). */
export function labelContent(cert: LabelCertificate, timeZone: string): LabelContent {
  const template = certificateTemplate(cert.kind);
  return {
    title: LABEL_TITLE,
    template,
    templateName: templateNames[template],
    fields: [
      { label: '产品名称', value: cert.productName },
      { label: '数量', value: formatQuantity(cert.quantity, cert.unit) },
      { label: '产地', value: cert.originText || originName(cert.originRegion) },
      { label: '承诺主体', value: cert.issuerName },
      { label: '联系方式', value: cert.contact },
      { label: '开具日期', value: formatLocalDate(cert.issuedAt, timeZone) },
      { label: '承诺依据', value: basisNames[cert.basis] },
    ],
    sourceIds: template === 'buyer' ? cert.parents.map((p) => p.certificateId) : [],
    commitment: commitmentText(cert.kind, cert.commitmentVersion),
    id: cert.id,
    code: cert.code,
  };
}

/**
 * The 样式二 line naming the source certificates: every id when they fit in the room the layout has (`fits`
 * measures in the layout's own font), else their count and a pointer to the trace behind the QR.
 */
export function sourcesLine(sourceIds: readonly string[], fits: (text: string) => boolean): string {
  const all = `来源合格证：${sourceIds.join('、')}`;
  return fits(all) ? all : `来源合格证 ${sourceIds.length} 张，详见扫码追溯`;
}
