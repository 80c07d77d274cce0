import { render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import type { CatalogEntity } from '../api/catalog-api.js';
import { AboutCard } from './AboutCard.js';
import { ProcessingErrors } from './ProcessingErrors.js';
import { RelationsCard } from './RelationsCard.js';

const entity: CatalogEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    description: 'Takes **payments** <script>alert(1)</script>',
    tags: ['java'],
    links: [
      { url: 'https://runbook.example.com', title: 'Runbook' },
      { url: 'javascript:alert(1)', title: 'Evil' },
    ],
    annotations: {
      'backstage.io/source-location': 'url:https://github.com/acme/checkout/tree/main/',
      'backstage.io/edit-url': 'javascript:alert(1)',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments', system: 'payments' },
  relations: [
    { type: 'dependsOn', targetRef: 'resource:default/orders-db' },
    { type: 'ownedBy', targetRef: 'group:default/team-payments' },
    { type: 'providesApi', targetRef: 'api:default/checkout-api' },
    { type: 'ownedBy', targetRef: 'group:default/team-payments' },
  ],
  status: {
    items: [
      {
        type: 'processing',
        level: 'error',
        message: 'x',
        error: { name: 'InputError', message: 'Bad spec.owner' },
      },
    ],
  },
};

function renderIn(node: ReactNode) {
  return render(<MemoryRouter>{node}</MemoryRouter>);
}

describe('entity page cards', () => {
  it('shows the about facts, with safe links only', () => {
    renderIn(<AboutCard entity={entity} />);
    expect(screen.getByText('payments', { selector: 'strong' })).toBeTruthy();
    expect(document.querySelector('script')).toBeNull();
    expect(screen.getByRole('link', { name: 'team-payments' }).getAttribute('href')).toBe(
      '/catalog/default/group/team-payments',
    );
    expect(screen.getByRole('link', { name: 'payments' }).getAttribute('href')).toBe(
      '/catalog/default/system/payments',
    );
    expect(screen.getByRole('link', { name: 'View source' }).getAttribute('href')).toBe(
      'https://github.com/acme/checkout/tree/main/',
    );
    expect(screen.queryByRole('link', { name: 'Edit' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Runbook' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Evil' })).toBeNull();
  });

  it('lists relations by type in reading order, each once', () => {
    renderIn(<RelationsCard entity={entity} />);
    const labels = [...document.querySelectorAll('dt')].map((dt) => dt.textContent);
    expect(labels).toEqual(['Owned by', 'Provides APIs', 'Depends on']);
    const owned = document.querySelector('dd')!;
    expect(within(owned as HTMLElement).getAllByRole('link')).toHaveLength(1);
    expect(screen.getByRole('link', { name: 'api:checkout-api' }).getAttribute('href')).toBe(
      '/catalog/default/api/checkout-api',
    );
  });

  it('shows processing errors', () => {
    renderIn(<ProcessingErrors entity={entity} />);
    expect(screen.getByRole('alert').textContent).toContain('InputError: Bad spec.owner');
  });
});
