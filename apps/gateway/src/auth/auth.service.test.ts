import { Config, SigningKey } from '@portal/platform';
import { readAuthSettings } from './auth-config.js';
import { AuthService } from './auth.service.js';
import { FakeUserCatalog, group, user } from './testing/fake-user-catalog.js';
import { MemoryUserKeyStore } from './user-key-store.js';
import { UserTokenIssuer } from './user-token-issuer.js';

async function service(catalog?: FakeUserCatalog, ownershipEntityRefs?: string[]) {
  const settings = readAuthSettings(
    Config.fromObject({
      auth: { providers: { guest: ownershipEntityRefs ? { ownershipEntityRefs } : {} } },
    }),
    {},
  );
  const issuer = new UserTokenIssuer(await SigningKey.generate(), { issuer: settings.issuer });
  return new AuthService({ settings, keyStore: new MemoryUserKeyStore(), issuer, catalog });
}

const guest = user(
  'guest',
  { memberOf: ['group:default/guests'] },
  {
    metadata: { name: 'guest', namespace: 'development' },
  },
);

describe('AuthService guest ownership', () => {
  it("adds the guest user's groups, transitively, when the catalog has the guest", async () => {
    const auth = await service(new FakeUserCatalog([guest, group('guests', 'everyone'), group('everyone')]));
    const res = await auth.refresh('guest');
    expect(res.backstageIdentity.identity.ownershipEntityRefs).toEqual([
      'user:development/guest',
      'group:default/everyone',
      'group:default/guests',
    ]);
  });

  it('keeps the configured refs and adds the catalog ones', async () => {
    const auth = await service(new FakeUserCatalog([guest, group('guests')]), [
      'user:development/guest',
      'group:default/admins',
    ]);
    expect((await auth.refresh('guest')).backstageIdentity.identity.ownershipEntityRefs).toEqual([
      'user:development/guest',
      'group:default/admins',
      'group:default/guests',
    ]);
  });

  it('works without the guest in the catalog, without a catalog, and when the catalog fails', async () => {
    const down = new FakeUserCatalog([guest]);
    down.failing = true;
    for (const catalog of [new FakeUserCatalog([]), undefined, down]) {
      const auth = await service(catalog);
      expect((await auth.refresh('guest')).backstageIdentity.identity.ownershipEntityRefs).toEqual([
        'user:development/guest',
      ]);
    }
  });
});
