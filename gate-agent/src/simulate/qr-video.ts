import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import QRCode from 'qrcode';

/**
 * Synthetic camera footage: a QR code on a white 640×480 frame under one named distortion, encoded to H.264 by
 * real ffmpeg. Used by the simulation's `video` step and by the camera tests, so both see the same footage.
 */
export const videoSize = { width: 640, height: 480 } as const;

/** ffmpeg filters applied after the code is placed on the white frame. */
export const distortions = {
  clean: 'null',
  noise: 'noise=alls=60:allf=t',
  blur: 'gblur=sigma=0.8',
  rotated: 'rotate=45*PI/180:fillcolor=white',
  lowContrast: 'lutyuv=y=110+(val-128)*0.15',
  everything:
    'rotate=20*PI/180:fillcolor=white,lutyuv=y=110+(val-128)*0.6,gblur=sigma=0.5,noise=alls=15:allf=t',
} as const;
export type Distortion = keyof typeof distortions;
export const distortionNames = Object.keys(distortions) as [Distortion, ...Distortion[]];

export type QrVideoError = {
  code: 'QR_IMAGE_FAILED' | 'FFMPEG_MISSING' | 'VIDEO_ENCODING_FAILED';
  detail: string;
};
export type QrVideoResult<T> = { ok: true; value: T } | ({ ok: false } & QrVideoError);

/** A PNG of `text` (error correction M, 4-module quiet zone) in `dir`, named after the text so codes never collide. */
export async function qrPng(dir: string, text: string, modulePx: number): Promise<QrVideoResult<string>> {
  const name = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const path = join(dir, `code-${name}-${modulePx}px.png`);
  try {
    await QRCode.toFile(path, text, { errorCorrectionLevel: 'M', margin: 4, scale: modulePx });
  } catch (error) {
    return { ok: false, code: 'QR_IMAGE_FAILED', detail: String(error) };
  }
  return { ok: true, value: path };
}

/** A short H.264 video of the code under one distortion, as a camera at the gate would deliver it. */
export async function qrVideo(
  png: string,
  distortion: Distortion,
  options: { seconds: number; fps: number; dir: string; ffmpegPath?: string },
): Promise<QrVideoResult<string>> {
  const base = png.replace(/^.*\/|\.png$/g, '');
  const out = join(options.dir, `${base}-${distortion}-${options.seconds}s-${options.fps}fps.mp4`);
  const canvas = `color=c=white:s=${videoSize.width}x${videoSize.height}:r=${options.fps}:d=${options.seconds}`;
  const graph = `[0:v][1:v]overlay=(W-w)/2:(H-h)/2,format=gray,${distortions[distortion]},format=yuv420p`;
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'],
    ...['-f', 'lavfi', '-i', canvas],
    ...['-i', png],
    ...['-filter_complex', graph],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-t', String(options.seconds)],
    out,
  ];
  return new Promise((resolve) => {
    execFile(options.ffmpegPath ?? 'ffmpeg', args, (error, _stdout, stderr) => {
      if (!error) resolve({ ok: true, value: out });
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        resolve({
          ok: false,
          code: 'FFMPEG_MISSING',
          detail: '未安装 ffmpeg, not installed (apt-get install ffmpeg)',
        });
      else
        resolve({
          ok: false,
          code: 'VIDEO_ENCODING_FAILED',
          detail: `${error.message} ${stderr.slice(-300)}`.trim(),
        });
    });
  });
}
