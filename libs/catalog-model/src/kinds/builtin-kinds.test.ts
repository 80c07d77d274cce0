import { checkKindDefinition } from './kind-definition-check.js';
import { BUILTIN_KINDS } from './builtin-kinds.js';

describe('BUILTIN_KINDS', () => {
  it.each(BUILTIN_KINDS.map((kind) => [kind.kind, kind] as const))(
    '%s is a valid kind definition',
    (_name, kind) => {
      expect(checkKindDefinition(kind).problems).toEqual([]);
    },
  );

  it('uses backstage.io/v1alpha1 and v1beta1, and scaffolder.backstage.io/v1beta3 for Template', () => {
    for (const kind of BUILTIN_KINDS) {
      expect(kind.apiVersion).toEqual(
        kind.kind === 'Template'
          ? ['scaffolder.backstage.io/v1beta3']
          : ['backstage.io/v1alpha1', 'backstage.io/v1beta1'],
      );
    }
  });
});
