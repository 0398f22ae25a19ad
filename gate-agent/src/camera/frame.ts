/** One 8-bit grayscale frame, row-major, as ffmpeg writes it with `-pix_fmt gray`. */
export interface GrayFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A region of interest as fractions of the frame, so it survives a change of capture resolution. */
export interface RegionOfInterest {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function crop(frame: GrayFrame, roi: RegionOfInterest): GrayFrame {
  const x = Math.max(0, Math.floor(roi.left * frame.width));
  const y = Math.max(0, Math.floor(roi.top * frame.height));
  const width = Math.min(frame.width - x, Math.round(roi.width * frame.width));
  const height = Math.min(frame.height - y, Math.round(roi.height * frame.height));
  const data = new Uint8Array(width * height);
  for (let row = 0; row < height; row++) {
    const from = (y + row) * frame.width + x;
    data.set(frame.data.subarray(from, from + width), row * width);
  }
  return { width, height, data };
}

/** Averages 2×2 blocks: halves sensor noise and makes small modules relatively larger for the binarizer. */
export function downsample2x2(frame: GrayFrame): GrayFrame {
  const width = frame.width >> 1;
  const height = frame.height >> 1;
  const data = new Uint8Array(width * height);
  const src = frame.data;
  for (let y = 0; y < height; y++) {
    const top = 2 * y * frame.width;
    const bottom = top + frame.width;
    for (let x = 0; x < width; x++) {
      const i = 2 * x;
      data[y * width + x] =
        ((src[top + i] ?? 0) +
          (src[top + i + 1] ?? 0) +
          (src[bottom + i] ?? 0) +
          (src[bottom + i + 1] ?? 0) +
          2) >>
        2;
    }
  }
  return { width, height, data };
}

/** Maps the 1st..99th percentile to 0..255: a low-contrast code otherwise falls under the binarizer's threshold. */
export function stretchContrast(frame: GrayFrame): GrayFrame {
  const histogram = new Uint32Array(256);
  for (const value of frame.data) histogram[value]!++;
  const cut = Math.floor(frame.data.length / 100);
  let low = 0;
  for (let seen = 0; low < 255 && seen + histogram[low]! <= cut; low++) seen += histogram[low]!;
  let high = 255;
  for (let seen = 0; high > 0 && seen + histogram[high]! <= cut; high--) seen += histogram[high]!;
  if (high <= low) return frame;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++)
    lut[v] = Math.max(0, Math.min(255, Math.round(((v - low) * 255) / (high - low))));
  const data = new Uint8Array(frame.data.length);
  for (let i = 0; i < data.length; i++) data[i] = lut[frame.data[i]!]!;
  return { width: frame.width, height: frame.height, data };
}
