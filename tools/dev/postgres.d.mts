/** Types for the dev runner's embedded PostgreSQL, used by the integration tests. */
export declare class EmbeddedPostgresServer {
  constructor(options: {
    dataDir: string;
    port: number;
    log: (msg: string) => void;
    onServerLine?: (line: string) => void;
  });
  readonly url: string;
  readonly running: boolean;
  start(): Promise<string>;
  stop(timeoutMs?: number): Promise<void>;
}
