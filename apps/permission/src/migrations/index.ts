import { InitialSchema1763773200000 } from './1763773200000-initial-schema.js';
import { RuntimePolicy1763859600000 } from './1763859600000-runtime-policy.js';

/** In order; TypeORM records which ran in the `migrations` table. */
export const migrations = [InitialSchema1763773200000, RuntimePolicy1763859600000];
