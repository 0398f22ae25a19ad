import { describe, expect, it } from 'vitest';
import { adminProblem } from '../src/admin/admin-form.tsx';
import { createI18n } from '../src/i18n/i18n.ts';

/** A refusal as the server answers it (server/src/http/error-handler.ts names body fields `body.<field>`). */
const refusal = (code: string, issues?: { path: string; message: string }[]) => ({
  code,
  body: { error: { code, message: 'in English for the log', ...(issues ? { issues } : {}) } },
});

describe('the admin screens’ sentence for a refused write', () => {
  const zh = createI18n('zh-CN').t;
  const en = createI18n('en').t;

  it('names the fields the server refused, by their labels on the form', () => {
    const refused = refusal('VALIDATION_FAILED', [
      { path: 'body.username', message: 'user names are 3–32 of a-z 0-9 _ . -' },
      { path: 'body.password', message: 'passwords are at least 10 characters' },
      { path: 'body.password', message: 'too long' },
    ]);
    expect(adminProblem(zh, refused)).toBe('填写有误，请检查：登录名、密码（至少 10 位）');
    expect(adminProblem(en, refused)).toBe('Please check: Login name, Password (at least 10 characters)');
  });

  it('says what to check when the server named no field it knows', () => {
    expect(adminProblem(zh, refusal('VALIDATION_FAILED', [{ path: 'body', message: 'x' }]))).toBe(
      '填写有误，请检查各项。',
    );
  });

  it('explains the registry’s codes in Chinese and English, never as the raw code', () => {
    for (const code of [
      'ALREADY_EXISTS',
      'INVALID_REFERENCE',
      'INACTIVE',
      'FORBIDDEN',
      'NOT_FOUND',
      'NETWORK',
    ]) {
      for (const t of [zh, en]) {
        const sentence = adminProblem(t, refusal(code));
        expect(sentence).not.toContain(code);
        expect(sentence.length).toBeGreaterThan(8);
      }
    }
    expect(adminProblem(zh, refusal('ENROLLMENT_CODE_USED'))).toBe(
      '该登记码已被使用，请改为吊销它登记的设备。',
    );
  });

  it('falls back to the console’s general words, with the code for support, for a code it has no words for', () => {
    expect(adminProblem(zh, refusal('SOMETHING_NEW'))).toBe('出错了：SOMETHING_NEW');
  });
});
