// This SQLite store's identity in a lab (migrations/0006_lab.sql): a uuid made on first use. Published rows are
// keyed by (uuid, local id), which is what makes a second publish of the same session change nothing.

import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store.js';

export function storeUuid(store: Store): string {
  const row = store.db.prepare<[], { uuid: string }>('SELECT uuid FROM lab_store WHERE id = 1').get();
  if (row) return row.uuid;
  const uuid = randomUUID();
  store.db.prepare('INSERT OR IGNORE INTO lab_store (id, uuid) VALUES (1, ?)').run(uuid);
  return store.db.prepare<[], { uuid: string }>('SELECT uuid FROM lab_store WHERE id = 1').get()!.uuid;
}

/** Give the store a new identity (a file copied from another bench's: the two must not publish as one). */
export function renewStoreUuid(store: Store): string {
  store.db.prepare('DELETE FROM lab_store WHERE id = 1').run();
  return storeUuid(store);
}
