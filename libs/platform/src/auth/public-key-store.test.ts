import { generateKeyPair, exportJWK } from 'jose';
import { InputError } from '../errors/errors.js';
import { PublicKeyStore } from './public-key-store.js';
import { SigningKey } from './signing-key.js';

describe('PublicKeyStore', () => {
  it('finds a key by plugin and kid, and forgets it when the instance is removed', async () => {
    const store = new PublicKeyStore();
    const a = await SigningKey.generate();
    const b = await SigningKey.generate();
    store.set('catalog', 'i1', JSON.stringify(a.publicJwk()));
    store.set('catalog', 'i2', JSON.stringify(b.publicJwk()));

    expect(store.find('catalog', a.kid)).toBeDefined();
    expect(store.find('catalog', a.kid)).toBe(store.find('catalog', a.kid)); // imported once
    expect(store.find('catalog', b.kid)).toBeDefined();
    expect(store.find('catalog', 'nope')).toBeUndefined();
    // A key is never found under another plugin's id.
    expect(store.find('search', a.kid)).toBeUndefined();

    store.remove('catalog', 'i1');
    expect(store.find('catalog', a.kid)).toBeUndefined();
    expect(store.find('catalog', b.kid)).toBeDefined();
    store.remove('catalog', 'i2');
    store.remove('catalog', 'i2');
    expect(store.find('catalog', b.kid)).toBeUndefined();
  });

  it('replaces the key of an instance that registers again', async () => {
    const store = new PublicKeyStore();
    const a = await SigningKey.generate();
    const b = await SigningKey.generate();
    store.set('catalog', 'i1', JSON.stringify(a.publicJwk()));
    store.set('catalog', 'i1', JSON.stringify(b.publicJwk()));
    expect(store.find('catalog', a.kid)).toBeUndefined();
    expect(store.find('catalog', b.kid)).toBeDefined();
  });

  it('refuses keys that are not public ES256 JWKs with a kid', async () => {
    const store = new PublicKeyStore();
    const good = (await SigningKey.generate()).publicJwk();
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = { ...(await exportJWK(privateKey)), kid: 'p' };
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'r' };

    const bad: Array<[string, string]> = [
      ['{', 'not valid JSON'],
      ['[]', 'not a JWK object'],
      [JSON.stringify({ ...good, kid: undefined }), 'missing kid'],
      [JSON.stringify(privateJwk), 'private key'],
      [JSON.stringify(rsaJwk), 'EC P-256'],
      [JSON.stringify({ ...good, alg: 'ES384' }), 'expected alg ES256'],
      [JSON.stringify({ ...good, use: 'enc' }), "expected use 'sig'"],
      [JSON.stringify({ ...good, x: good.y }), 'not a valid point'],
    ];
    for (const [json, message] of bad) {
      expect(() => store.set('catalog', 'i1', json)).toThrow(InputError);
      expect(() => store.set('catalog', 'i1', json)).toThrow(message);
    }
    expect(() => store.set('', 'i1', JSON.stringify(good))).toThrow(InputError);
    expect(store.find('catalog', 'p')).toBeUndefined();
  });
});
