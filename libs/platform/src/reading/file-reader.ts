import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError, NotAllowedError, NotFoundError, PayloadTooLargeError } from '../errors/errors.js';

/**
 * Reads local files only under configured roots. The path is resolved with every symbolic link
 * followed before the check, so `..`, absolute paths and links (chains, links out of the root) never
 * read outside a root.
 */
export class FileReader {
  private readonly roots: Promise<string[]>;

  constructor(
    roots: string[],
    private readonly maxBytes = 10 * 1024 * 1024,
  ) {
    // Roots themselves may be links: compare against where they really are.
    this.roots = Promise.all(roots.map((r) => realpath(resolve(r)).catch(() => resolve(r))));
  }

  /** The real path of `path` if it is a file under a root; throws otherwise. */
  async check(path: string): Promise<string> {
    if (!isAbsolute(path)) throw new InputError(`File location '${path}' must be an absolute path`);
    if (path.includes('\0')) throw new InputError('File location contains a NUL byte');
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      throw new NotFoundError(`${path} does not exist`);
    }
    const inside = (await this.roots).some((root) => {
      const rel = relative(root, real);
      return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
    });
    if (!inside)
      throw new NotAllowedError(`Reading ${path} is not allowed: it is not under a configured file root`);
    return real;
  }

  async read(path: string): Promise<{ body: Buffer; path: string }> {
    const real = await this.check(path);
    const info = await stat(real);
    if (!info.isFile()) throw new InputError(`${path} is not a file`);
    if (info.size > this.maxBytes)
      throw new PayloadTooLargeError(`${path} is larger than ${this.maxBytes} bytes`);
    return { body: await readFile(real), path: real };
  }
}
