import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileReader } from './file-reader.js';

describe('FileReader', () => {
  const base = mkdtempSync(join(tmpdir(), 'portal-files-'));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'team'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'team', 'catalog-info.yaml'), 'kind: Component\n');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'link-out'));
  symlinkSync(join(root, 'link-out'), join(root, 'chain'));
  symlinkSync(join(root, 'missing'), join(root, 'dangling'));
  symlinkSync(join(root, 'team', 'catalog-info.yaml'), join(root, 'link-in'));
  const reader = new FileReader([root], 64);

  it('reads files under a root, links that stay inside included', async () => {
    expect((await reader.read(join(root, 'team', 'catalog-info.yaml'))).body.toString()).toBe(
      'kind: Component\n',
    );
    expect((await reader.read(join(root, 'link-in'))).body.toString()).toBe('kind: Component\n');
  });

  it.each([
    ['a path with ..', () => join(root, '..', 'outside', 'secret.txt'), 'NotAllowedError'],
    ['a file outside', () => join(outside, 'secret.txt'), 'NotAllowedError'],
    ['a link out of the root', () => join(root, 'link-out'), 'NotAllowedError'],
    ['a chain of links out of the root', () => join(root, 'chain'), 'NotAllowedError'],
    ['a dangling link', () => join(root, 'dangling'), 'NotFoundError'],
    ['a relative path', () => 'team/catalog-info.yaml', 'InputError'],
    ['a folder', () => join(root, 'team'), 'InputError'],
    ['a NUL byte', () => `${root}/team\0/x`, 'InputError'],
  ])('refuses %s', async (_name, path, error) => {
    await expect(reader.read(path())).rejects.toMatchObject({ name: error });
  });

  it('caps the size', async () => {
    writeFileSync(join(root, 'big.yaml'), 'x'.repeat(100));
    await expect(reader.read(join(root, 'big.yaml'))).rejects.toMatchObject({ name: 'PayloadTooLargeError' });
  });
});
