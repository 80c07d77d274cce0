import { InputError } from '../errors/errors.js';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

function typeOf(value: JsonValue | undefined): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * A read-only view of the merged configuration, in the style of Backstage's ConfigReader:
 * dotted keys, typed getters, and errors that name the full key that was wrong.
 */
export class Config {
  constructor(
    private readonly data: JsonObject,
    private readonly prefix = '',
  ) {}

  static fromObject(data: JsonObject): Config {
    return new Config(data);
  }

  private fullKey(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  /** The raw value at a dotted key, or undefined. */
  getOptional(key: string): JsonValue | undefined {
    let current: JsonValue | undefined = this.data;
    for (const part of key.split('.')) {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
      current = (current as JsonObject)[part];
    }
    return current;
  }

  has(key: string): boolean {
    return this.getOptional(key) !== undefined;
  }

  private fail(key: string, expected: string, value: JsonValue | undefined): never {
    if (value === undefined) {
      throw new InputError(`Missing required config value at '${this.fullKey(key)}'`);
    }
    throw new InputError(
      `Invalid type in config for key '${this.fullKey(key)}', got ${typeOf(value)}, wanted ${expected}`,
    );
  }

  getOptionalString(key: string): string | undefined {
    const v = this.getOptional(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') return this.fail(key, 'string', v);
    return v;
  }
  getString(key: string): string {
    return this.getOptionalString(key) ?? this.fail(key, 'string', undefined);
  }

  getOptionalNumber(key: string): number | undefined {
    const v = this.getOptional(key);
    if (v === undefined) return undefined;
    if (typeof v === 'number') return v;
    // Values that came from environment variables are strings.
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return this.fail(key, 'number', v);
  }
  getNumber(key: string): number {
    return this.getOptionalNumber(key) ?? this.fail(key, 'number', undefined);
  }

  getOptionalBoolean(key: string): boolean | undefined {
    const v = this.getOptional(key);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true') return true;
    if (v === 'false') return false;
    return this.fail(key, 'boolean', v);
  }
  getBoolean(key: string): boolean {
    return this.getOptionalBoolean(key) ?? this.fail(key, 'boolean', undefined);
  }

  getOptionalStringArray(key: string): string[] | undefined {
    const v = this.getOptional(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return this.fail(key, 'string array', v);
    return v as string[];
  }

  getOptionalConfig(key: string): Config | undefined {
    const v = this.getOptional(key);
    if (v === undefined) return undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return this.fail(key, 'object', v);
    return new Config(v, this.fullKey(key));
  }
  getConfig(key: string): Config {
    return this.getOptionalConfig(key) ?? this.fail(key, 'object', undefined);
  }

  getOptionalConfigArray(key: string): Config[] | undefined {
    const v = this.getOptional(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) return this.fail(key, 'array of objects', v);
    return v.map((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        return this.fail(`${key}[${i}]`, 'object', item);
      }
      return new Config(item, this.fullKey(`${key}[${i}]`));
    });
  }

  /** The plain data below this view. */
  get(): JsonObject {
    return this.data;
  }
}
