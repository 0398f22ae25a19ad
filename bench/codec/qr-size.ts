/**
 * QR symbol versions of realistic Liangzheng codes at error-correction levels M and Q.
 * Run: npx tsx bench/codec/qr-size.ts
 */
import { encodeCertificate } from '@liangzheng/domain';
import QRCode from 'qrcode';
import { producer, producerCertificate, repackCertificate, repacker } from './certificates.ts';

const rows: { certificate: string; chars: number; m: number; q: number }[] = [];
const cases = [
  ...[2, 4, 8].map((n) => ({
    label: `producer, name ${n} chars`,
    payload: producerCertificate(n),
    signer: producer,
  })),
  ...[1, 4, 8].flatMap((parents) =>
    [2, 8].map((n) => ({
      label: `repack ${parents} parent${parents > 1 ? 's' : ''}, name ${n} chars`,
      payload: repackCertificate(n, parents),
      signer: repacker,
    })),
  ),
];
for (const { label, payload, signer } of cases) {
  const encoded = encodeCertificate(payload, signer);
  if (!encoded.ok) throw new Error(`${label}: ${encoded.error}`);
  const version = (level: 'M' | 'Q') => {
    const symbol = QRCode.create(encoded.text, { errorCorrectionLevel: level });
    if (symbol.segments.some((segment) => segment.mode.id !== 'Alphanumeric'))
      throw new Error(`${label}: not alphanumeric`);
    return symbol.version;
  };
  rows.push({ certificate: label, chars: encoded.text.length, m: version('M'), q: version('Q') });
}

console.log('| certificate | code chars | QR version M | QR version Q |');
console.log('| --- | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.certificate} | ${row.chars} | ${row.m} | ${row.q} |`);
