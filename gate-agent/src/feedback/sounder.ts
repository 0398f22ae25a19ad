import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SoundConfig } from '../config/config.ts';
import { type Tone, tones, toneWav } from './tones.ts';

/** Plays a verdict tone without waiting for it: feedback must never delay the next scan. */
export interface Sounder {
  play(tone: Tone): void;
}

export class RecordingSounder implements Sounder {
  readonly played: Tone[] = [];
  play(tone: Tone): void {
    this.played.push(tone);
  }
}

export const silentSounder: Sounder = { play: () => {} };

/** Runs `argv` per tone, detached, ignoring failures (a missing sound card must not stop the gate). */
export class CommandSounder implements Sounder {
  readonly #argvFor: (tone: Tone) => string[];
  constructor(argvFor: (tone: Tone) => string[]) {
    this.#argvFor = argvFor;
  }
  play(tone: Tone): void {
    const [command, ...args] = this.#argvFor(tone);
    if (!command) return;
    const child = spawn(command, args, { stdio: 'ignore', detached: false });
    child.on('error', () => {});
    child.unref();
  }
}

export function findPlayer(): string | null {
  for (const player of ['paplay', 'aplay']) {
    if (spawnSync('sh', ['-c', `command -v ${player}`]).status === 0) return player;
  }
  return null;
}

/** Writes the four WAVs once, into a fresh temp folder, and returns their paths. */
export function writeToneFiles(dir = mkdtempSync(join(tmpdir(), 'gate-agent-tones-'))): Record<Tone, string> {
  const paths = {} as Record<Tone, string>;
  for (const tone of tones) {
    paths[tone] = join(dir, `${tone}.wav`);
    writeFileSync(paths[tone], toneWav(tone));
  }
  return paths;
}

export type SounderChoice = { sounder: Sounder; note: string | null };

export function sounderFor(config: SoundConfig): SounderChoice {
  if (config.output === 'none') return { sounder: silentSounder, note: null };
  if (config.output === 'beeper') {
    const argv = config.beeperCommand ?? [];
    return {
      sounder: new CommandSounder((tone) => argv.map((part) => part.replaceAll('{tone}', tone))),
      note: null,
    };
  }
  const player = findPlayer();
  if (!player) return { sounder: silentSounder, note: 'NO_AUDIO_PLAYER' };
  const files = writeToneFiles();
  const quiet = player === 'aplay' ? ['-q'] : [];
  return { sounder: new CommandSounder((tone) => [player, ...quiet, files[tone]]), note: null };
}
