import ZXing from '@zxing/library';
import { downsample2x2, type GrayFrame, stretchContrast } from './frame.ts';
import type { DecodedSymbol, FrameDecoder } from './frame-decoder.ts';

type Binarizer = 'hybrid' | 'global';

interface Pass {
  name: string;
  prepare: (frame: GrayFrame) => GrayFrame;
  binarizer: Binarizer;
}

const asIs = (frame: GrayFrame) => frame;
/** a version-1 QR code is 21×21 modules */
const qrMinimumModules = 21;

/**
 * The fallback chain measured in hardware.md: HybridBinarizer turns noise into speckle (false finder patterns)
 * and thresholds low contrast too low; averaging, a global threshold and a contrast stretch each rescue one case.
 */
const fallbackPasses: Pass[] = [
  { name: 'hybrid', prepare: asIs, binarizer: 'hybrid' },
  { name: 'averaged', prepare: downsample2x2, binarizer: 'hybrid' },
  { name: 'global', prepare: asIs, binarizer: 'global' },
  { name: 'stretched', prepare: stretchContrast, binarizer: 'hybrid' },
];

export function zxingJsDecoder(options: { fallbacks: boolean }): FrameDecoder {
  const reader = new ZXing.QRCodeReader();
  const hints = new Map<ZXing.DecodeHintType, unknown>([[ZXing.DecodeHintType.TRY_HARDER, true]]);
  const passes = options.fallbacks ? fallbackPasses : fallbackPasses.slice(0, 1);
  const name = options.fallbacks ? 'zxing-js+fallbacks' : 'zxing-js';
  return {
    name,
    async decode(frame) {
      for (const pass of passes) {
        const prepared = pass.prepare(frame);
        // the library throws on a zero-sized bitmap (a 1×1 image halved); nothing that small holds a QR code
        if (prepared.width < qrMinimumModules || prepared.height < qrMinimumModules) continue;
        const text = decodeOnce(reader, hints, prepared, pass.binarizer);
        if (text !== undefined) return [symbol(text, `zxing-js:${pass.name}`)];
      }
      return [];
    },
  };
}

function symbol(text: string, decoder: string): DecodedSymbol {
  return { text, symbology: 'QRCode', decoder };
}

function decodeOnce(
  reader: ZXing.QRCodeReader,
  hints: Map<ZXing.DecodeHintType, unknown>,
  frame: GrayFrame,
  binarizer: Binarizer,
): string | undefined {
  const luminance = new ZXing.RGBLuminanceSource(
    new Uint8ClampedArray(frame.data.buffer, frame.data.byteOffset, frame.data.length),
    frame.width,
    frame.height,
  );
  const bitmap = new ZXing.BinaryBitmap(
    binarizer === 'hybrid'
      ? new ZXing.HybridBinarizer(luminance)
      : new ZXing.GlobalHistogramBinarizer(luminance),
  );
  try {
    return reader.decode(bitmap, hints).getText();
  } catch (error) {
    // the library signals "nothing here" by throwing; anything else is a bug worth seeing
    if (error instanceof ZXing.NotFoundException) return undefined;
    if (error instanceof ZXing.ChecksumException || error instanceof ZXing.FormatException) return undefined;
    throw error;
  } finally {
    reader.reset();
  }
}
