import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import QRCode from 'qrcode';

const run = promisify(execFile);

/** ffmpeg filters applied after the code is placed on a 640×480 white frame. */
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

export async function qrPng(dir: string, text: string, modulePx: number): Promise<string> {
  const path = join(dir, 'code.png');
  await QRCode.toFile(path, text, { errorCorrectionLevel: 'M', margin: 4, scale: modulePx });
  return path;
}

/** A short H.264 video of the code under one distortion, as a camera at the gate would deliver it. */
export async function qrVideo(
  png: string,
  distortion: Distortion,
  options: { seconds: number; fps: number; dir?: string },
): Promise<string> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'lz-video-')));
  const out = join(dir, `${distortion}-${options.seconds}s-${options.fps}fps.mp4`);
  const graph = `[0:v][1:v]overlay=(W-w)/2:(H-h)/2,format=gray,${distortions[distortion]},format=yuv420p`;
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'],
    ...['-f', 'lavfi', '-i', `color=c=white:s=640x480:r=${options.fps}:d=${options.seconds}`],
    ...['-i', png],
    ...[
      '-filter_complex',
      graph,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '18',
      '-t',
      String(options.seconds),
    ],
    out,
  ]);
  return out;
}
