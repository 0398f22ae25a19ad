import type { LabelCertificate } from '@liangzheng/domain/certificate/label-content';

/**
 * Two certificates with every field fixed, for output that must not change between runs (the golden printer
 * files). The codes are real signed codes from domain/test-vectors; 00:30 Beijing time is the day's edge.
 */
export const producerCertificate: LabelCertificate = {
  id: '3f9a2c71d04b8e65',
  code: 'HTTPS://LZ.DEMO.CN/V/LZ1LLJO85G1F0BO$DM8YMW6E10CD0D$K6YADX65DMS76$U-3-L75WC6QDWZDD-SZ+J9M$$DYXY++H7*S+5R7Y$S9C88VJ-D39GPUHJPXZKKQMA2B5P$L2WRX7U8UHUKDXL8HJHUA4U0KBGZL1HT88HLR97X0JH',
  kind: 'producer',
  productName: '大白菜',
  quantity: 500,
  unit: 'kg',
  originRegion: '430182',
  originText: '',
  issuerName: '宁乡市绿源蔬菜种植专业合作社',
  contact: '0731-87654321',
  basis: 'self_tested',
  commitmentVersion: '2026',
  issuedAt: '2026-03-14T16:30:00.000Z',
  parents: [],
};

export const repackCertificate: LabelCertificate = {
  id: 'c2d8e0f41a6b9357',
  code: 'HTTPS://LZ.DEMO.CN/V/LZ14W4L06IHQL2LRKZ9NF-22HZF9+$P5S+C77AVJ3EG-2NV4O27Z*NM0HP-4G*1HS6N7JLQMCJ-4GXQLKY3PXAFJD2GPZ79J9-U0F2L$3KYU*BHNRWLM+DM98XHG9O2*2R-AHLS94T8WP++OQ+P5TYNN72WTIMDFU7XZZZ*64LNCM9LT$JYHQ87-BUE*WZS8Y64KF9JSWB',
  kind: 'repack',
  productName: '混装蔬菜',
  quantity: 12,
  unit: 'jin',
  originRegion: '430100',
  originText: '',
  issuerName: '马王堆蔬菜批发市场 张记分装',
  contact: '13800000001',
  basis: 'quality_control',
  commitmentVersion: '2026',
  issuedAt: '2026-03-14T16:30:00.000Z',
  parents: [
    { certificateId: '3f9a2c71d04b8e65' },
    { certificateId: '8b1e4d2a7c905f36' },
    { certificateId: 'e57a09c3b2d6184f' },
  ],
};
