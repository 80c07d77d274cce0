// Descriptor and config texts the tests write to temporary folders.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Two valid entities: a group and a component it owns. */
export const VALID = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
  description: The storefront
spec:
  type: website
  lifecycle: production
  owner: team-a
`;

/** One entity whose owner is a number. */
export const INVALID_FIELD = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
spec:
  type: service
  lifecycle: production
  owner: 42
`;

/** A valid document, a broken one, then another valid one. */
export const BAD_YAML = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-b
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: [unclosed
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-c
spec:
  type: team
  children: []
`;

/** Nine to the sixth power strings from a few lines: refused by the alias limit. */
export const ALIAS_BOMB = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bomb
  annotations:
    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
spec:
  type: service
  lifecycle: production
  owner: team-a
`;

/** A config that defines the custom kind Widget (acme.io/v1, integer spec.size, spec.owner → ownedBy). */
export const WIDGET_CONFIG = `catalog:
  kinds:
    - apiVersion: acme.io/v1
      kind: Widget
      description: A thing the factory makes
      specSchema:
        type: object
        required: [size, owner]
        properties:
          size: { type: integer, minimum: 1 }
          owner: { type: string }
      relations:
        - { field: spec.owner, type: ownedBy, inverse: ownerOf, defaultKind: Group }
`;

export const WIDGET_VALID = `apiVersion: acme.io/v1
kind: Widget
metadata:
  name: sprocket
spec:
  size: 3
  owner: team-a
`;

export const WIDGET_INVALID = `apiVersion: acme.io/v1
kind: Widget
metadata:
  name: cog
spec:
  size: big
  owner: team-a
`;

/** A config whose second kind definition has a relation field outside spec. */
export const BAD_KIND_CONFIG = `catalog:
  kinds:
    - apiVersion: acme.io/v1
      kind: Widget
      specSchema: { type: object }
    - apiVersion: acme.io/v1
      kind: Gadget
      specSchema: { type: object }
      relations:
        - { field: owner, type: ownedBy, inverse: ownerOf }
`;

/** A temporary folder for one test file; `write` creates files (and their folders) in it. */
export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'portal-cli-'));

  write(relativePath: string, text: string): string {
    const file = join(this.path, relativePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** A kind file (`--kinds`) with a looser Widget than WIDGET_CONFIG's: only owner is required. */
export const WIDGET_KINDS_FILE = `apiVersion: acme.io/v1
kind: Widget
specSchema:
  type: object
  required: [owner]
  properties:
    owner: { type: string }
relations:
  - { field: spec.owner, type: ownedBy, inverse: ownerOf, defaultKind: Group }
`;

/** A kind file with the custom kind Gadget (acme.io/v1, spec.colour one of red and blue). */
export const GADGET_KINDS_FILE = `apiVersion: acme.io/v1
kind: Gadget
specSchema:
  type: object
  required: [colour]
  properties:
    colour: { enum: [red, blue] }
`;

export const GADGET_VALID = `apiVersion: acme.io/v1
kind: Gadget
metadata:
  name: blinker
spec:
  colour: red
`;

export const GADGET_INVALID = `apiVersion: acme.io/v1
kind: Gadget
metadata:
  name: buzzer
spec:
  colour: green
`;

/** A local port nothing listens on (it was free a moment ago): connections to it are refused. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
