// The checkpointer takes WAL checkpoints off the commit path but still writes every page back.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { openDatabase } from '../../electron/core/store/database.ts';
import { startCheckpointer } from '../../electron/core/store/checkpointer.ts';
import { createTempStore, TEMP_DB_NAME } from '../helpers/temp-store.ts';
import { join } from 'node:path';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('checkpointer', () => {
  it('turns automatic checkpoints off and checkpoints on its timer instead', async () => {
    const temp = createTempStore();
    cleanups.push(temp.cleanup);
    temp.store.close();
    const db = openDatabase(join(temp.dir, TEMP_DB_NAME));
    const checkpointer = startCheckpointer(db, 20);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?)`);
    for (let i = 0; i < 3000; i++) insert.run(`k${i}`, 'x'.repeat(200));
    const walBefore = statSync(join(temp.dir, `${TEMP_DB_NAME}-wal`)).size;
    expect(walBefore).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    const [state] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
    expect(state?.checkpointed).toBe(state?.log);
    checkpointer.stop();
    expect(statSync(join(temp.dir, `${TEMP_DB_NAME}-wal`)).size).toBe(0);
    db.close();
  });

  it('store.close() leaves no WAL content behind', () => {
    const temp = createTempStore();
    cleanups.push(temp.cleanup);
    for (let i = 0; i < 500; i++) temp.store.settings.set(`k${i}`, 'v');
    temp.store.close();
    const wal = join(temp.dir, `${TEMP_DB_NAME}-wal`);
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
  });
});
