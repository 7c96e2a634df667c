import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ar from './locales/ar.json';
import en from './locales/en.json';
import fr from './locales/fr.json';

type Tree = { [k: string]: string | Tree };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function keys(t: Tree, prefix = ''): string[] {
  return Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}
const base = (t: Tree) => new Set(keys(t).map((k) => k.replace(PLURAL, '')));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) && !/\.test\./.test(f) ? [p] : [];
  });
}

describe('translations', () => {
  it('have the same keys in en, fr and ar', () => {
    const want = [...base(en)].sort();
    expect([...base(fr)].sort()).toEqual(want);
    expect([...base(ar)].sort()).toEqual(want);
  });

  it('have every plural form each language needs', () => {
    const forms = (lang: string) => new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    for (const [lang, tree] of [['en', en], ['fr', fr], ['ar', ar]] as const) {
      const all = new Set(keys(tree));
      for (const k of keys(tree).filter((x) => PLURAL.test(x))) {
        for (const f of forms(lang)) expect(all, `${lang} ${k}`).toContain(k.replace(PLURAL, `_${f}`));
      }
    }
  });

  it('cover every key the code names', () => {
    const known = base(en);
    const used = new Set<string>();
    for (const file of sources(join(__dirname, '..'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !known.has(k))).toEqual([]);
  });
});
