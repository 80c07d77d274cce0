import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { EntityRefLink } from './EntityRefLink.js';
import { RelationChips } from './RelationChips.js';

describe('EntityRefLink and RelationChips', () => {
  it('links to the entity page and hides the default namespace', () => {
    render(
      <MemoryRouter>
        <EntityRefLink entityRef="component:default/payments-api" />
        <EntityRefLink entityRef="team-a" defaultKind="Group" showKind />
        <EntityRefLink entityRef={{ kind: 'API', namespace: 'ops', name: 'metrics' }} />
        <EntityRefLink entityRef="not a ref:" />
      </MemoryRouter>,
    );
    expect(screen.getByRole('link', { name: 'payments-api' }).getAttribute('href')).toBe(
      '/catalog/default/component/payments-api',
    );
    expect(screen.getByRole('link', { name: 'group:team-a' }).getAttribute('href')).toBe(
      '/catalog/default/group/team-a',
    );
    expect(screen.getByRole('link', { name: 'ops/metrics' }).getAttribute('href')).toBe(
      '/catalog/ops/api/metrics',
    );
    expect(screen.getByText('not a ref:').tagName).toBe('SPAN');
  });

  it('lists refs as linked chips, or a placeholder when there are none', () => {
    const { rerender } = render(
      <MemoryRouter>
        <RelationChips refs={['user:default/jane', 'group:default/team-a']} showKind />
      </MemoryRouter>,
    );
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByRole('link', { name: 'user:jane' })).toBeTruthy();
    rerender(
      <MemoryRouter>
        <RelationChips refs={[]} emptyText="No members" />
      </MemoryRouter>,
    );
    expect(screen.getByText('No members')).toBeTruthy();
  });
});
