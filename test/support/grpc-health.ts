import { createRequire } from 'node:module';
import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const require = createRequire(import.meta.url);
const { protoPath } = require('grpc-health-check') as { protoPath: string };

type HealthStub = Client & {
  check(
    req: { service: string },
    cb: (err: ServiceError | null, res: { status: string | number }) => void,
  ): void;
};

/** A plain grpc.health.v1 client, as Kubernetes or grpc_health_probe would call it. */
export class HealthClient {
  private readonly client: HealthStub;

  constructor(address: string) {
    const pkg = loadPackageDefinition(loadSync(protoPath, { enums: String })) as unknown as {
      grpc: {
        health: {
          v1: {
            Health: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthStub;
          };
        };
      };
    };
    this.client = new pkg.grpc.health.v1.Health(address, credentials.createInsecure());
  }

  check(service: string): Promise<string> {
    return new Promise((resolve, reject) =>
      this.client.check({ service }, (err, res) => (err ? reject(err) : resolve(String(res.status)))),
    );
  }

  close() {
    this.client.close();
  }
}
