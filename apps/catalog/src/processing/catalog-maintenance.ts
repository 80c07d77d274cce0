import type { Logger } from '@portal/platform';
import type { DataSource } from 'typeorm';
import {
  analyzeTable,
  listStaleTables,
  type AnalyzeThresholds,
} from './operations/analyze-changed-tables.js';
import { compactFacetCounts } from './operations/compact-facet-counts.js';
import { inTransaction, withConnection } from './util/sql.js';

export interface CatalogMaintenanceOptions {
  dataSource: DataSource;
  logger: Logger;
  /** When to ANALYZE a changed table; default 500 rows + 10 %. */
  analyze?: AnalyzeThresholds;
}

export interface MaintenanceRound {
  /** Facet deltas folded into the counts (undefined: another replica was compacting). */
  compactedDeltas?: number;
  /** Tables analyzed. */
  analyzed: string[];
}

/**
 * Housekeeping every replica runs on a timer, each task taken by one replica at a time: folds the
 * facet deltas into the facet counts, and ANALYZEs the catalog's tables once they changed a lot
 * (so the first queries after a bulk ingestion are planned for what is there, with or without
 * autovacuum).
 */
export class CatalogMaintenance {
  private readonly thresholds: AnalyzeThresholds;

  constructor(private readonly options: CatalogMaintenanceOptions) {
    this.thresholds = options.analyze ?? { minChangedRows: 500, changedFraction: 0.1 };
  }

  /** One round; true when it did some work. */
  async runOnce(): Promise<MaintenanceRound> {
    const { dataSource, logger } = this.options;
    const compactedDeltas = await inTransaction(dataSource, compactFacetCounts);
    const stale = await withConnection(dataSource, (sql) => listStaleTables(sql, this.thresholds));
    const analyzed: string[] = [];
    for (const table of stale) {
      const started = Date.now();
      if (await inTransaction(dataSource, (sql) => analyzeTable(sql, table))) {
        analyzed.push(table);
        logger.debug({ table, ms: Date.now() - started }, 'analyzed a changed table');
      }
    }
    return { compactedDeltas, analyzed };
  }
}
