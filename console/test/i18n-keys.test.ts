import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resources } from '../src/i18n/resources.ts';

/**
 * Both language tables carry the same words: every key the zh-CN table has (its own and the screens' files spread
 * into it) has an English value, and that value is English. i18next would otherwise show the Chinese fallback or
 * the key itself to an English reader.
 */

type Table = { readonly [key: string]: unknown };

/** `a.b.c` → value, for every leaf string of a nested table. */
function leaves(table: Table, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(table)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') found.set(path, value);
    else if (value && typeof value === 'object')
      for (const leaf of leaves(value as Table, path)) found.set(...leaf);
  }
  return found;
}

const zh = leaves(resources['zh-CN'].translation);
const en = leaves(resources.en.translation);
const han = /\p{Script=Han}/u;

/**
 * English values that rightly keep Chinese: the switch back to Chinese names the language in Chinese, and a few
 * legal document names are given in both (the English reader meets the Chinese one on the paper itself).
 */
const chineseOnPurpose = new Set([
  'app.language',
  // a CSV's header may be written in Chinese: the hint names those headers as they are typed
  'catalogue.productImport.hint',
]);

/** Every `t('literal.key'…)` the console's source asks for; keys built at run time are not read here. */
function keysAskedFor(): Map<string, string> {
  const source = path.resolve(import.meta.dirname, '../src');
  const asked = new Map<string, string>();
  for (const entry of readdirSync(source, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*['"]([\w.]+)['"]/g))
      asked.set(match[1]!, path.relative(source, file));
  }
  return asked;
}

/** A key is there as itself or, counted, as its plural forms. */
const holds = (table: Map<string, string>, key: string) => table.has(key) || table.has(`${key}_other`);

describe('the console’s language tables', () => {
  it('have the same keys in zh-CN and English', () => {
    expect([...zh.keys()].filter((key) => !en.has(key))).toEqual([]);
    expect([...en.keys()].filter((key) => !zh.has(key))).toEqual([]);
  });

  it('give English words in English', () => {
    const chinese = [...en].filter(([key, value]) => han.test(value) && !chineseOnPurpose.has(key));
    expect(chinese.map(([key, value]) => `${key}: ${value}`)).toEqual([]);
  });

  it('keep every interpolation in both languages', () => {
    const slots = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
    const differing = [...zh]
      .filter(([key, value]) => en.has(key) && slots(value).join() !== slots(en.get(key)!).join())
      .map(([key]) => key);
    expect(differing).toEqual([]);
  });

  it('hold every word the console asks for, in both languages', () => {
    const missing = [...keysAskedFor()]
      .filter(([key]) => !holds(zh, key) || !holds(en, key))
      .map(([key, file]) => `${file}: ${key}`);
    expect(missing).toEqual([]);
  });
});
