import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.ts';
import { lastOf } from '../../src/status/gate-status.ts';
import { StatusPage } from '../../src/status/status-page.ts';
import { entryFor } from '../fixtures.ts';

describe('status page', () => {
  it('serves the page and streams every change with the reason in Chinese and English', async () => {
    const page = new StatusPage({
      gateId: 1,
      last: null,
      conflict: null,
      snapshot: null,
      queueLength: 0,
      online: false,
    });
    const port = await page.listen(0);
    try {
      const html = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(html).toContain('lang="zh-CN"');
      expect(html).not.toMatch(/alert\(|confirm\(|prompt\(|<input|autofocus/);

      const events = await fetch(`http://127.0.0.1:${port}/events`);
      const reader = events.body!.getReader();
      const decoder = new TextDecoder();
      const first = decoder.decode((await reader.read()).value);
      expect(JSON.parse(first.replace(/^data: /, ''))).toMatchObject({ queueLength: 0 });

      const journal = new Journal(':memory:');
      page.update({ last: lastOf(journal.record(entryFor('X', 'review'))), queueLength: 1 });
      const second = JSON.parse(decoder.decode((await reader.read()).value).replace(/^data: /, ''));
      expect(second.last.outcome).toBe('review');
      expect(second.last.reasons[0]).toMatchObject({
        code: 'UNVERIFIABLE',
        zh: expect.stringMatching(/人工复核/),
      });
      expect(second.queueLength).toBe(1);
      await reader.cancel();
    } finally {
      await page.close();
    }
  });
});
