import { cameraDecoder } from './camera/camera-decoder.ts';
import { cameraSource } from './camera/camera-source.ts';
import { ffmpegFrameProvider } from './camera/ffmpeg-frames.ts';
import type { AgentConfig, InputConfig } from './config/config.ts';
import { startAgent } from './main.ts';
import type { ReadSource } from './read/source-event.ts';
import { hidScannerSource } from './scanner/hid/hid-scanner-source.ts';
import { nodeHidProvider } from './scanner/hid/node-hid-provider.ts';
import { evdevInput, ttyInput } from './scanner/wedge/keystroke-input.ts';
import { onscanTiming } from './scanner/wedge/wedge-decoder.ts';
import { wedgeSource } from './scanner/wedge/wedge-source.ts';

function sourceFor(input: InputConfig): ReadSource | null {
  switch (input.kind) {
    case 'hid':
      return hidScannerSource(nodeHidProvider, {
        keyboardScanners:
          input.vendorId !== undefined && input.productId !== undefined && input.mode === 'keyboard'
            ? [{ vendorId: input.vendorId, productId: input.productId }]
            : [],
        posLayouts:
          input.posLayout && input.vendorId !== undefined && input.productId !== undefined
            ? [{ vendorId: input.vendorId, productId: input.productId, layout: input.posLayout }]
            : [],
      });
    case 'wedge':
      return wedgeSource(
        input.device === 'stdin' ? ttyInput(process.stdin, () => Date.now()) : evdevInput(input.device),
        {
          timing: { ...onscanTiming, maxAverageIntervalMs: input.maxInterKeyMs, minLength: input.minLength },
        },
      );
    case 'camera': {
      const camera = input.url.startsWith('/dev/')
        ? ({ kind: 'v4l2', device: input.url } as const)
        : /^rtsps?:/.test(input.url)
          ? ({ kind: 'rtsp', url: input.url } as const)
          : ({ kind: 'file', path: input.url } as const);
      // the live decoder (camera-decoder.ts): zxing-wasm alone; a code stays in view for many frames
      return cameraSource(
        ffmpegFrameProvider(camera, { width: input.width, height: input.height, maxFps: input.fps }),
        cameraDecoder(),
        { restart: camera.kind !== 'file' },
      );
    }
    case 'manual':
      return null;
  }
}

/** `gate-agent run`: the agent with its configured inputs, until SIGINT/SIGTERM. */
export async function runGate(config: AgentConfig): Promise<number> {
  const agent = await startAgent(config);
  const sources = config.inputs.flatMap((input) => {
    const source = sourceFor(input);
    return source ? [source] : [];
  });
  for (const source of sources) {
    source.start((event) => {
      if (event.kind === 'status') {
        process.stderr.write(
          `INPUT ${event.device} ${event.status}${event.error ? ` ${event.error.code}: ${event.error.detail}` : ''}\n`,
        );
      }
      agent.handle(event);
    });
  }
  process.stderr.write(
    `gate-agent: gate ${config.gateId}, status page http://127.0.0.1:${agent.statusPort}/\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.all(sources.map((source) => source.stop()));
  await agent.stop();
  return 0;
}
