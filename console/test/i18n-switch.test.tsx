import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replayTransport } from '../src/api/transport.ts';
import { LanguageSwitch } from '../src/app.tsx';
import { VerdictPanel } from '../src/verdict/verdict-panel.tsx';
import { renderConsole } from './render.tsx';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('language switch', () => {
  it('starts in zh-CN and switches to English and back, remembering the choice', () => {
    const { i18n } = renderConsole(
      <>
        <LanguageSwitch />
        <VerdictPanel verdict={{ outcome: 'accept', reason: null, subject: '', at: '' }} />
      </>,
      { transport: replayTransport([]) },
    );
    expect(i18n.language).toBe('zh-CN');
    expect(screen.getByText('通过')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByText('Accepted')).toBeTruthy();
    expect(screen.queryByText('通过')).toBeNull();
    expect(localStorage.getItem('lz.language')).toBe('en');
    expect(document.documentElement.lang).toBe('en');

    fireEvent.click(screen.getByRole('button', { name: '中文' }));
    expect(screen.getByText('通过')).toBeTruthy();
    expect(localStorage.getItem('lz.language')).toBe('zh-CN');
  });

  it('every zh-CN key has an English twin', async () => {
    const { resources } = await import('../src/i18n/resources.ts');
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(resources.en.translation).sort()).toEqual(keys(resources['zh-CN'].translation).sort());
  });
});
