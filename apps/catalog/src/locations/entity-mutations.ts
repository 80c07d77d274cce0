// The logic behind entity deletion, refresh and ancestry; the controllers only translate.
import { NotFoundError } from '@portal/platform';
import type { DataSource } from 'typeorm';
import type { CatalogEngine } from '../processing/catalog-engine.js';
import { inTransaction, withConnection } from '../processing/util/sql.js';
import { deleteEntityByUid, type DeleteByUidResult } from './operations/delete-entity-by-uid.js';
import { listEntityAncestry, type AncestryItem } from './operations/list-entity-ancestry.js';

export class EntityMutations {
  constructor(
    private readonly options: { dataSource: DataSource; engine: Pick<CatalogEngine, 'refresh' | 'wake'> },
  ) {}

  /** `DELETE /entities/by-uid/{uid}`: a hard delete (see deleteEntityByUid); unknown uids are a no-op. */
  async deleteByUid(uid: string): Promise<DeleteByUidResult> {
    const result = await inTransaction(this.options.dataSource, (sql) => deleteEntityByUid(sql, uid));
    // The emitters were made due: reprocess them now rather than at the next poll.
    this.options.engine.wake();
    return result;
  }

  /** `POST /refresh`: InputError for a malformed ref, NotFoundError for an unknown entity. */
  refresh(entityRef: string): Promise<void> {
    return this.options.engine.refresh(entityRef);
  }

  /** `GET …/ancestry`: NotFoundError when the entity is not visible. */
  async ancestry(entityRef: string): Promise<{ rootEntityRef: string; items: AncestryItem[] }> {
    const result = await withConnection(this.options.dataSource, (sql) => listEntityAncestry(sql, entityRef));
    if (!result) throw new NotFoundError(`No such entity ${entityRef}`);
    return result;
  }
}
