import type { GrayFrame } from './frame.ts';

export interface DecodedSymbol {
  text: string;
  /** format name, e.g. `QRCode` */
  symbology: string;
  /** decoder and pass, e.g. `zxing-js+stretched`, kept in the read's provenance */
  decoder: string;
}

/** Anything that turns one gray frame into the codes it shows (none is an empty list, never an error). */
export interface FrameDecoder {
  readonly name: string;
  decode(frame: GrayFrame): Promise<DecodedSymbol[]>;
}

/** Tries decoders in order and stops at the first that finds anything: cheap first, thorough second. */
export function chainDecoders(decoders: FrameDecoder[]): FrameDecoder {
  return {
    name: decoders.map((d) => d.name).join('>'),
    async decode(frame) {
      for (const decoder of decoders) {
        const found = await decoder.decode(frame);
        if (found.length > 0) return found;
      }
      return [];
    },
  };
}
