// Format checks on the envelope's fields, for values whose JSON type is already right
// (the envelope schema reports wrong types).
import {
  FIELD_RULE_EXPECTATIONS as EXPECT,
  isNonEmptyString,
  isValidAnnotationKey,
  isValidApiVersion,
  isValidEntityName,
  isValidKind,
  isValidLabelKey,
  isValidLabelValue,
  isValidNamespace,
  isValidTag,
  isValidUrl,
} from './field-rules.js';
import { forbiddenLinkScheme } from './link-url.js';
import { isObject, joinPath, type ValidationProblem } from './problem.js';

function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

function invalid(path: string, value: string, expectation: string): ValidationProblem {
  return { path, message: `expected ${expectation}, found ${quote(value)}` };
}

function checkMap(
  problems: ValidationProblem[],
  path: string,
  map: unknown,
  isValidKey: (key: string) => boolean,
  isValidValue: ((value: string) => boolean) | undefined,
): void {
  if (!isObject(map)) return;
  for (const [key, value] of Object.entries(map)) {
    const keyPath = joinPath(path, key);
    if (!isValidKey(key)) problems.push({ path: keyPath, message: `invalid key: expected ${EXPECT.key}` });
    if (isValidValue && typeof value === 'string' && !isValidValue(value)) {
      problems.push(invalid(keyPath, value, EXPECT.labelValue));
    }
  }
}

function checkLinks(problems: ValidationProblem[], links: unknown): void {
  if (!Array.isArray(links)) return;
  links.forEach((link: unknown, index) => {
    if (!isObject(link)) return;
    const path = joinPath('metadata.links', index);
    const { url, title, icon } = link;
    if (typeof url === 'string') {
      const scheme = forbiddenLinkScheme(url);
      if (scheme)
        problems.push({
          path: joinPath(path, 'url'),
          message: `the ${scheme} scheme is not allowed in links`,
        });
      else if (!isValidUrl(url)) problems.push(invalid(joinPath(path, 'url'), url, EXPECT.url));
    }
    for (const [field, value] of [
      ['title', title],
      ['icon', icon],
    ] as const) {
      if (typeof value === 'string' && !isNonEmptyString(value)) {
        problems.push(invalid(joinPath(path, field), value, EXPECT.nonEmpty));
      }
    }
  });
}

/** Problems with apiVersion, kind and the metadata fields' formats. */
export function checkFieldFormats(entity: Record<string, unknown>): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const { apiVersion, kind, metadata } = entity;
  if (typeof apiVersion === 'string' && !isValidApiVersion(apiVersion)) {
    problems.push(invalid('apiVersion', apiVersion, EXPECT.apiVersion));
  }
  if (typeof kind === 'string' && !isValidKind(kind)) problems.push(invalid('kind', kind, EXPECT.kind));
  if (!isObject(metadata)) return problems;
  const { name, namespace, labels, annotations, tags, links } = metadata;
  if (typeof name === 'string' && !isValidEntityName(name)) {
    problems.push(invalid('metadata.name', name, EXPECT.name));
  }
  if (typeof namespace === 'string' && !isValidNamespace(namespace)) {
    problems.push(invalid('metadata.namespace', namespace, EXPECT.namespace));
  }
  checkMap(problems, 'metadata.labels', labels, isValidLabelKey, isValidLabelValue);
  checkMap(problems, 'metadata.annotations', annotations, isValidAnnotationKey, undefined);
  if (Array.isArray(tags)) {
    tags.forEach((tag: unknown, index) => {
      if (typeof tag === 'string' && !isValidTag(tag)) {
        problems.push(invalid(joinPath('metadata.tags', index), tag, EXPECT.tag));
      }
    });
  }
  checkLinks(problems, links);
  return problems;
}
