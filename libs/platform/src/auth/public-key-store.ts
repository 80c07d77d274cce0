import { createPublicKey, type KeyObject } from 'node:crypto';
import { InputError } from '../errors/errors.js';
import { TOKEN_ALGORITHM } from './signing-key.js';

interface StoredKey {
  kid: string;
  key: KeyObject;
}

/**
 * The public keys plugin instances sign their service tokens with, as announced to discovery
 * (one key per instance). A token is only ever checked against a key of the plugin named in its
 * `sub`, so one plugin can never sign as another.
 */
export class PublicKeyStore {
  /** pluginId → instanceId → key */
  private readonly plugins = new Map<string, Map<string, StoredKey>>();

  /**
   * Records (or replaces) the key of one instance. The JWK is parsed and imported here, once, so a
   * bad key is refused at registration with an InputError instead of failing every later request.
   */
  set(pluginId: string, instanceId: string, jwkJson: string): void {
    if (!pluginId || !instanceId)
      throw new InputError('Public key registration needs a plugin id and an instance id');
    const stored = parsePublicJwk(jwkJson, pluginId);
    let instances = this.plugins.get(pluginId);
    if (!instances) {
      instances = new Map();
      this.plugins.set(pluginId, instances);
    }
    instances.set(instanceId, stored);
  }

  remove(pluginId: string, instanceId: string): void {
    const instances = this.plugins.get(pluginId);
    if (!instances) return;
    instances.delete(instanceId);
    if (instances.size === 0) this.plugins.delete(pluginId);
  }

  /** The imported key of `pluginId` with this `kid`, or undefined. */
  find(pluginId: string, kid: string): KeyObject | undefined {
    const instances = this.plugins.get(pluginId);
    if (!instances) return undefined;
    for (const stored of instances.values()) {
      if (stored.kid === kid) return stored.key;
    }
    return undefined;
  }
}

function parsePublicJwk(jwkJson: string, pluginId: string): StoredKey {
  const bad = (why: string): never => {
    throw new InputError(`Invalid public key for plugin '${pluginId}': ${why}`);
  };
  let jwk: unknown;
  try {
    jwk = JSON.parse(jwkJson);
  } catch {
    return bad('not valid JSON');
  }
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) return bad('not a JWK object');
  const fields = jwk as Record<string, unknown>;
  if (typeof fields.kid !== 'string' || fields.kid === '') return bad('missing kid');
  if ('d' in fields) return bad('a private key was sent; only the public half may be registered');
  if (fields.kty !== 'EC' || fields.crv !== 'P-256') return bad('expected an EC P-256 key');
  if (fields.alg !== undefined && fields.alg !== TOKEN_ALGORITHM)
    return bad(`expected alg ${TOKEN_ALGORITHM}`);
  if (fields.use !== undefined && fields.use !== 'sig') return bad("expected use 'sig'");
  if (typeof fields.x !== 'string' || typeof fields.y !== 'string') return bad('missing x or y');
  try {
    const key = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: fields.x, y: fields.y },
      format: 'jwk',
    });
    return { kid: fields.kid, key };
  } catch {
    return bad('not a valid point on P-256');
  }
}
