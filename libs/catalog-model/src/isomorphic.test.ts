// The library runs in browsers too: its sources may import only each other and browser-safe packages.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const allowedPackages = new Set(['ajv', 'yaml']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('isomorphic sources', () => {
  const files = sources(root);

  it('finds the library sources', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((file) => [relative(root, file), file]))(
    '%s imports nothing Node-only',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
      const foreign = specifiers.filter((s) => !s.startsWith('.') && !allowedPackages.has(s));
      expect(foreign).toEqual([]);
      expect(text).not.toMatch(/^(?!\s*(\/\/|\*)).*\b(process|Buffer|__dirname|require)\b[.(]/m);
    },
  );
});
