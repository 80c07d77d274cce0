// Location references (`<type>:<target>`), as the managed-by-location annotations spell them.
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '@portal/platform';

/** Where entities are read from: a location type (`url`, `file`) and its target. */
export interface LocationSpec {
  type: string;
  target: string;
}

/** `url:https://…`, `file:/abs/path`: the type up to the first colon, the target after it. */
export function parseLocationRef(ref: string): LocationSpec {
  const colon = ref.indexOf(':');
  if (colon <= 0 || colon === ref.length - 1) {
    throw new InputError(`Location reference '${ref}' is not on the form <type>:<target>`);
  }
  return { type: ref.slice(0, colon), target: ref.slice(colon + 1) };
}

export function stringifyLocationRef(location: LocationSpec): string {
  return `${location.type}:${location.target}`;
}

/**
 * The absolute target of a Location entity's `target`: relative file paths resolve against the
 * directory of the file the Location was read from, relative URLs against its URL; a target of
 * another type than the Location's own source must already be absolute.
 */
export function resolveLocationTarget(type: string, target: string, base: LocationSpec | undefined): string {
  if (type === 'file') {
    if (isAbsolute(target)) return resolve(target);
    if (base?.type !== 'file') {
      throw new InputError(`Relative file target '${target}' needs a Location read from a file`);
    }
    return resolve(dirname(base.target), target);
  }
  if (type === 'url') {
    try {
      // An absolute URL stands on its own; a relative one needs the Location's own URL.
      return new URL(target).href;
    } catch {
      if (base?.type !== 'url') {
        throw new InputError(`Relative url target '${target}' needs a Location read from a url`);
      }
      try {
        return new URL(target, base.target).href;
      } catch {
        throw new InputError(`Target '${target}' does not resolve against ${base.target}`);
      }
    }
  }
  return target;
}

const COMMIT_HASH = /\b[0-9a-f]{40,}\b/;

/**
 * The annotations Backstage derives from a url location: where the source lives (the file's
 * directory), and where to view and edit the descriptor. The edit URL follows the GitHub and GitLab
 * conventions (`/blob/` → `/edit/`) and is left out for URLs pinned to a commit.
 */
export function urlLocationAnnotations(target: string): {
  sourceLocation: string;
  viewUrl: string;
  editUrl?: string;
} {
  const url = new URL(target);
  const sourceLocation = `url:${new URL('./', url).href}`;
  let editUrl: string | undefined;
  if (!COMMIT_HASH.test(target)) {
    const edit = new URL(url.href);
    if (edit.pathname.includes('/-/blob/')) edit.pathname = edit.pathname.replace('/-/blob/', '/-/edit/');
    else if (edit.pathname.includes('/blob/')) edit.pathname = edit.pathname.replace('/blob/', '/edit/');
    editUrl = edit.href;
  }
  return { sourceLocation, viewUrl: url.href, editUrl };
}
