// Named providers whose mutations arrive from authenticated callers (REST and gRPC, wired later).
import { InputError, NotFoundError, ServiceUnavailableError, type Config } from '@portal/platform';
import type {
  EntityProvider,
  EntityProviderConnection,
  EntityProviderMutation,
  MutationSummary,
} from './entity-provider.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * One push provider: an entity provider that does nothing on its own; whoever holds it (the push
 * API, after authenticating and authorising the caller for this provider) applies mutations
 * through it. Its entities carry the source key `push:<name>`, so no push provider can touch what
 * another provider emits except through the usual location-key ownership rules.
 */
export class PushProvider implements EntityProvider {
  readonly name: string;
  private connection?: EntityProviderConnection;

  constructor(readonly providerName: string) {
    if (!NAME.test(providerName)) {
      throw new InputError(
        `Push provider name '${providerName}' must be 1-63 lowercase letters, digits, '.', '_' or '-'`,
      );
    }
    this.name = `push:${providerName}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
  }

  applyMutation(mutation: EntityProviderMutation): Promise<MutationSummary> {
    if (!this.connection) {
      return Promise.reject(
        new ServiceUnavailableError(`Push provider '${this.providerName}' is not connected yet`),
      );
    }
    return this.connection.applyMutation(mutation);
  }

  async refresh(keys: string[]): Promise<void> {
    if (!this.connection)
      throw new ServiceUnavailableError(`Push provider '${this.providerName}' is not connected yet`);
    await this.connection.refresh({ keys });
  }
}

/** The configured push providers, by name (`catalog.providers.push: [{ name }]`). */
export class PushProviderRegistry {
  private readonly byName = new Map<string, PushProvider>();

  constructor(names: string[] = []) {
    for (const name of names) {
      if (this.byName.has(name)) throw new InputError(`Push provider '${name}' is configured twice`);
      this.byName.set(name, new PushProvider(name));
    }
  }

  static fromConfig(config: Config): PushProviderRegistry {
    const entries = config.getOptionalConfigArray('catalog.providers.push') ?? [];
    return new PushProviderRegistry(entries.map((entry) => entry.getString('name')));
  }

  providers(): PushProvider[] {
    return [...this.byName.values()];
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The provider named `name`; a NotFoundError for a name that is not configured. */
  get(name: string): PushProvider {
    const provider = this.byName.get(name);
    if (!provider) throw new NotFoundError(`No push provider named '${name}'`);
    return provider;
  }

  applyMutation(name: string, mutation: EntityProviderMutation): Promise<MutationSummary> {
    try {
      return this.get(name).applyMutation(mutation);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
