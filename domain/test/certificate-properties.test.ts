import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base40Alphabet, decodeBase40, encodeBase40 } from '../src/certificate/base40.ts';
import { encodeCertificate, readCode } from '../src/certificate/code.ts';
import type { CodeReading } from '../src/certificate/code-reading.ts';
import { nodeEd25519 } from '../src/certificate/ed25519-node.ts';
import { buildTrustIndex } from '../src/trust/trust-index.ts';
import { producerPayload, repackPayload, scenarioKeys, scenarioSnapshot } from '../test-vectors/scenario.ts';

const keys = scenarioKeys(nodeEd25519);
const index = buildTrustIndex(scenarioSnapshot(keys));
const prefix = 'HTTPS://LZ.DEMO.CN/V/LZ1';

function textOf(payload = producerPayload(keys), signer = keys.producer): string {
  const result = encodeCertificate(payload, signer);
  if (!result.ok) throw new Error(result.error);
  return result.text;
}
const originals = [textOf(), textOf(repackPayload(keys), keys.repacker)];

const accepted = (reading: CodeReading) => reading.kind === 'liangzheng' && reading.failure === undefined;

/** Readings must be quick whatever the input: the budget is generous for a loaded CI machine. */
function timedRead(text: string): CodeReading {
  const started = performance.now();
  const reading = readCode(text, index, nodeEd25519);
  expect(performance.now() - started).toBeLessThan(100);
  return reading;
}

describe('base40', () => {
  it('round-trips any bytes up to the format-1 maximum', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(decodeBase40(encodeBase40(bytes), 600)).toEqual({ ok: true, bytes });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('readCode on hostile input', () => {
  it('never throws on arbitrary strings, and accepts none', () => {
    const anyText = fc.oneof(
      fc.string({ maxLength: 700 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...base40Alphabet), maxLength: 700 }).map((rest) => prefix + rest),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        expect(accepted(timedRead(text))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts a code whose payload bytes were changed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...originals),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (text, at, bit) => {
          const decoded = decodeBase40(text.slice(prefix.length), 600);
          if (!decoded.ok) throw new Error('original does not decode');
          const bytes = Uint8Array.from(decoded.bytes);
          bytes[at % bytes.length]! ^= 1 << bit;
          expect(accepted(timedRead(prefix + encodeBase40(bytes)))).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never accepts a code with a substituted, inserted or deleted character', () => {
    const edit = fc.record({
      at: fc.nat(),
      char: fc.constantFrom(...base40Alphabet),
      op: fc.constantFrom('substitute', 'insert', 'delete'),
    });
    fc.assert(
      fc.property(fc.constantFrom(...originals), edit, (text, { at, char, op }) => {
        const i = prefix.length + (at % (text.length - prefix.length));
        const mutated =
          op === 'substitute'
            ? text.slice(0, i) + char + text.slice(i + 1)
            : op === 'insert'
              ? text.slice(0, i) + char + text.slice(i)
              : text.slice(0, i) + text.slice(i + 1);
        fc.pre(mutated.toUpperCase() !== text);
        expect(accepted(timedRead(mutated))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('never accepts a truncated code', () => {
    fc.assert(
      fc.property(fc.constantFrom(...originals), fc.integer({ min: 1, max: 300 }), (text, cut) => {
        expect(accepted(timedRead(text.slice(0, Math.max(0, text.length - cut))))).toBe(false);
      }),
    );
  });

  it('round-trips any payload the layout can carry', () => {
    const payload = fc.record({
      id: fc.stringMatching(/^[0-9a-f]{16}$/),
      productName: fc
        .string({ unit: 'grapheme', maxLength: 12 })
        .filter((name) => name.length <= 40 && new TextEncoder().encode(name).length <= 160),
      quantity: fc
        .integer({ min: 1, max: 10_000_000 })
        .chain((m) => fc.integer({ min: 0, max: 3 }).map((s) => m / 10 ** s)),
      issuerId: fc.integer({ min: 0, max: 2 ** 40 }),
      originRegion: fc.stringMatching(/^\d{6}$/),
    });
    fc.assert(
      fc.property(payload, (fields) => {
        const signed = producerPayload(keys, fields);
        const result = encodeCertificate(signed, keys.producer);
        expect(result.ok).toBe(true);
        const reading = result.ok ? readCode(result.text, index, nodeEd25519) : undefined;
        expect(reading?.kind === 'liangzheng' && reading.payload).toEqual(signed);
      }),
      { numRuns: 300 },
    );
  });
});
