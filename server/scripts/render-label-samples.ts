/**
 * Writes the sample labels shown in docs/labels.md: the two fixed test certificates (样式一 and 样式二) as PDF,
 * in both sizes, into the folder given (default: label-samples/). Turn them into the docs' pictures with
 *
 *   npx tsx server/scripts/render-label-samples.ts /tmp/labels
 *   pdftoppm -r 300 -png -singlefile /tmp/labels/producer-60x40.pdf docs/img/label-producer
 *   pdftoppm -r 300 -png -singlefile /tmp/labels/buyer-60x40.pdf docs/img/label-buyer
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderLabel } from '../src/certificate/label.ts';
import { labelSizes } from '../src/certificate/label-size.ts';
import { producerCertificate, repackCertificate } from '../test/certificate/label-certificates.ts';

const folder = process.argv[2] ?? 'label-samples';
mkdirSync(folder, { recursive: true });
for (const [name, certificate] of [
  ['producer', producerCertificate],
  ['buyer', repackCertificate],
] as const) {
  for (const size of labelSizes) {
    const label = await renderLabel(
      certificate,
      { format: 'pdf', size, copies: 1 },
      { timeZone: 'Asia/Shanghai', cjkFont: undefined },
    );
    if (!label.ok) throw new Error(`${name} ${size}: ${label.message}`);
    writeFileSync(path.join(folder, `${name}-${size}.pdf`), label.body);
  }
}
