import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, type ReaderOptions, readBarcodes } from 'zxing-wasm/reader';
import type { GrayFrame } from './frame.ts';
import type { FrameDecoder } from './frame-decoder.ts';

const require = createRequire(import.meta.url);
let ready: Promise<unknown> | undefined;

/** Loads the .wasm from the installed package; by default zxing-wasm would fetch it from a CDN. */
function loadLocally(): Promise<unknown> {
  ready ??= (async () => {
    const bytes = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    await prepareZXingModule({
      overrides: { wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      fireImmediately: true,
    });
  })();
  return ready;
}

/** ZXing-C++ compiled to wasm; `tryHarder` mirrors the mode ZXing-C++ is benchmarked in. */
export function zxingWasmDecoder(options: { tryHarder: boolean } = { tryHarder: true }): FrameDecoder {
  const readerOptions: ReaderOptions = {
    formats: ['QRCode'],
    tryHarder: options.tryHarder,
    maxNumberOfSymbols: 4,
    // the raw payload (control characters, GS1 separators) is what the certificate decoder needs, not HRI
    textMode: 'Plain',
  };
  return {
    name: 'zxing-wasm',
    async decode(frame) {
      await loadLocally();
      const results = await readBarcodes(asImageData(frame), readerOptions);
      return results
        .filter((result) => result.isValid && result.text.length > 0)
        .map((result) => ({ text: result.text, symbology: 'QRCode', decoder: 'zxing-wasm' }));
    },
  };
}

/** The shape of a DOM ImageData, which is all zxing-wasm looks at (Node has no ImageData class). */
interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** zxing-wasm's public entry takes RGBA and converts back to luminance; gray replicated in R, G, B survives exactly. */
function asImageData(frame: GrayFrame): RgbaImage {
  const rgba = new Uint8ClampedArray(frame.width * frame.height * 4);
  for (let i = 0, j = 0; i < frame.data.length; i++, j += 4) {
    const v = frame.data[i]!;
    rgba[j] = v;
    rgba[j + 1] = v;
    rgba[j + 2] = v;
    rgba[j + 3] = 255;
  }
  return { width: frame.width, height: frame.height, data: rgba };
}
