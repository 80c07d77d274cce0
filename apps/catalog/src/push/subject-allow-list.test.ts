import type { Principal } from '@portal/platform';
import { describePrincipal, SubjectAllowList } from './subject-allow-list.js';

const external = (subject: string): Principal => ({ type: 'external', subject: `external:${subject}` });
const plugin = (id: string): Principal => ({ type: 'service', subject: `plugin:${id}`, pluginId: id });
const user = (ref: string, groups: string[] = []): Principal => ({
  type: 'user',
  userEntityRef: ref,
  ownershipEntityRefs: [ref, ...groups],
  token: 'token',
});

describe('SubjectAllowList', () => {
  it('matches static tokens by bare or prefixed subject, plugins by plugin:<id>', () => {
    const list = new SubjectAllowList(['ci', 'external:deploy', 'plugin:scaffolder']);
    expect(list.allows(external('ci'))).toBe(true);
    expect(list.allows(external('deploy'))).toBe(true);
    expect(list.allows(external('other'))).toBe(false);
    expect(list.allows(plugin('scaffolder'))).toBe(true);
    expect(list.allows(plugin('ci'))).toBe(false);
    expect(list.allows(undefined)).toBe(false);
  });

  it('lets users in only by an explicit user or group ref, case-insensitively', () => {
    expect(new SubjectAllowList(['ci']).allows(user('user:default/ci'))).toBe(false);
    expect(new SubjectAllowList(['User:default/Jane']).allows(user('user:default/jane'))).toBe(true);
    const byGroup = new SubjectAllowList(['group:default/platform']);
    expect(byGroup.allows(user('user:default/joe', ['group:default/platform']))).toBe(true);
    expect(byGroup.allows(user('user:default/joe'))).toBe(false);
  });

  it('allows nobody when empty', () => {
    const list = new SubjectAllowList([]);
    expect([external('ci'), plugin('x'), user('user:default/a')].some((p) => list.allows(p))).toBe(false);
  });

  it('describes callers', () => {
    expect(describePrincipal(external('ci'))).toBe('external:ci');
    expect(describePrincipal(user('user:default/a'))).toBe('user:default/a');
    expect(describePrincipal(undefined)).toBe('an unauthenticated caller');
  });
});
