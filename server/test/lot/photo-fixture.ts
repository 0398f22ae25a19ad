import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A real JPEG (64×48, made by ffmpeg's test source), the photo a gate uploads in these tests. */
export const testPhoto = readFileSync(
  join(import.meta.dirname, '../../../domain/test/fixtures/photos/testsrc-64x48.jpg'),
);
export const testPhotoBase64 = testPhoto.toString('base64');
