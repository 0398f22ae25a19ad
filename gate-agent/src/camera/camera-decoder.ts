import { chainDecoders, type FrameDecoder } from './frame-decoder.ts';
import { zxingJsDecoder } from './zxing-js-decoder.ts';
import { zxingWasmDecoder } from './zxing-wasm-decoder.ts';

/**
 * The agent's decoder, chosen with `npm run gate -w bench`. zxing-wasm goes first: it decoded every synthetic
 * condition the @zxing/library fallback chain did, 125/137 real photos against 101, with no misread.
 * `thorough` adds the fallback chain second, which found 1 photo zxing-wasm missed (qrcode-2/28) but costs its
 * four passes on every frame without a code — most frames at a gate — so live video uses zxing-wasm alone
 * (the code stays in view for many frames) and stills (a photo taken by gate staff) use the chain.
 */
export function cameraDecoder(options: { thorough: boolean } = { thorough: false }): FrameDecoder {
  return options.thorough
    ? chainDecoders([zxingWasmDecoder(), zxingJsDecoder({ fallbacks: true })])
    : chainDecoders([zxingWasmDecoder()]);
}
