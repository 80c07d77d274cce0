import { render, screen } from '@testing-library/react';
import { jest } from '@jest/globals';
import {
  EntityExtensionView,
  extensionAppliesTo,
  PluginExtensionsProvider,
  useEntityExtensions,
  type EntityExtension,
} from './extensions-context.js';
import type { EntityLike } from './entity-ref.js';

const component: EntityLike = {
  kind: 'Component',
  metadata: { name: 'payments', annotations: { 'backstage.io/techdocs-ref': 'dir:.' } },
};
const api: EntityLike = { kind: 'API', metadata: { name: 'payments-api' } };

function extension(id: string, more: Partial<EntityExtension> = {}): EntityExtension {
  return {
    id,
    pluginId: id,
    title: id,
    path: id,
    load: async () => ({ default: ({ entity }) => <p>{`${id} of ${entity.metadata.name}`}</p> }),
    ...more,
  };
}

describe('entity extensions', () => {
  it('apply by kind (any case) and annotation', () => {
    const docs = extension('docs', {
      kinds: ['component', 'API'],
      ifAnnotation: 'backstage.io/techdocs-ref',
    });
    expect(extensionAppliesTo(docs, component)).toBe(true);
    expect(extensionAppliesTo(docs, api)).toBe(false);
    expect(extensionAppliesTo(extension('any'), api)).toBe(true);
    expect(extensionAppliesTo(extension('groups', { kinds: ['group'] }), component)).toBe(false);
  });

  it('are listed for an entity and rendered from their module', async () => {
    function Tabs({ entity }: { entity: EntityLike }) {
      const tabs = useEntityExtensions('tabs', entity);
      return (
        <>
          {tabs.map((t) => (
            <EntityExtensionView key={t.id} extension={t} entity={entity} />
          ))}
        </>
      );
    }
    render(
      <PluginExtensionsProvider
        value={{
          plugins: [],
          entityTabs: [
            extension('docs', { kinds: ['component'] }),
            extension('groups', { kinds: ['group'] }),
          ],
          entityCards: [],
        }}
      >
        <Tabs entity={component} />
      </PluginExtensionsProvider>,
    );
    expect(await screen.findByText('docs of payments')).toBeTruthy();
    expect(screen.queryByText(/groups of/)).toBeNull();
  });

  it('show an error panel when their module fails to load', async () => {
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken = extension('broken', { load: () => Promise.reject(new Error('remoteEntry.js: 503')) });
    render(<EntityExtensionView extension={broken} entity={component} />);
    expect((await screen.findByRole('alert')).textContent).toContain('remoteEntry.js: 503');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
    quiet.mockRestore();
  });
});
