import { parseAuthorizeRequest } from './authorize-request.js';

const basic = { type: 'basic', name: 'catalog.entity.create', attributes: { action: 'create' } };
const resource = {
  type: 'resource',
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
};

describe('parseAuthorizeRequest', () => {
  it('accepts Backstage requests (string or array resourceRef) and normalises permissions', () => {
    expect(
      parseAuthorizeRequest({
        items: [
          { id: 'a', permission: { ...basic, extra: 1 } },
          { id: 'b', permission: resource, resourceRef: 'component:default/x' },
          { id: 'c', permission: resource, resourceRef: ['a', 'b'] },
          { id: 'd', permission: { type: 'basic', name: 'x' }, resourceRef: 'ignored' },
        ],
      }),
    ).toEqual([
      {
        id: 'a',
        permission: { type: 'basic', name: 'catalog.entity.create', attributes: { action: 'create' } },
      },
      { id: 'b', permission: resource, resourceRef: 'component:default/x' },
      { id: 'c', permission: resource, resourceRef: ['a', 'b'] },
      { id: 'd', permission: { type: 'basic', name: 'x', attributes: {} } },
    ]);
  });

  it.each([
    [null, 'The request must be {items: [...]}'],
    [{ items: {} }, 'The request must be {items: [...]}'],
    [{ items: [1] }, 'items[0] must be an object'],
    [{ items: [{ permission: basic }] }, 'items[0].id must be a non-empty string'],
    [
      {
        items: [
          { id: 'a', permission: basic },
          { id: 'a', permission: basic },
        ],
      },
      "items[1].id 'a' is not unique",
    ],
    [{ items: [{ id: 'a' }] }, 'items[0].permission must be an object'],
    [
      { items: [{ id: 'a', permission: { type: 'resource', name: 'x', attributes: {} } }] },
      'items[0].permission.resourceType is required',
    ],
    [
      { items: [{ id: 'a', permission: { type: 'basic', name: 'x', attributes: { action: 'write' } } }] },
      'items[0].permission.attributes.action',
    ],
    [
      { items: [{ id: 'a', permission: resource, resourceRef: 5 }] },
      'items[0].resourceRef must be a string or an array of strings',
    ],
    [
      { items: Array.from({ length: 1001 }, (_, i) => ({ id: String(i), permission: basic })) },
      'At most 1000 items',
    ],
  ])('refuses %j', (body, message) => {
    expect(() => parseAuthorizeRequest(body)).toThrow(message);
  });
});
