import vectorFile from '../../test-vectors/vectors.json' with { type: 'json' };
import { TestVectorFile, type TestVectorFile as TestVectorFileType } from './test-vector.ts';

/** Where the vector PNGs live: `new URL(vector.png, testVectorsDirectory)`. */
export const testVectorsDirectory = new URL('../../test-vectors/', import.meta.url);

/** The layered test vectors, validated; the same data for agent, server and console tests. */
export function loadTestVectors(): TestVectorFileType {
  return TestVectorFile.parse(vectorFile);
}
