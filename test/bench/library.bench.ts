// Library benchmark (a script, not a test): the queries the library screen makes (pages of 100,
// a deep page, a title search, a state + kind filter) through the store on 10,000 tasks and 100,000
// tracks, side by side with the same store on a copy without the task index and with a naive
// "load everything, filter in JS" library. Sides alternate every iteration; medians are reported.
// Run: npx node test/bench/library.bench.ts [--smoke] [--out=DIR]
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskListQuery } from '../../shared/api.ts';
import { SPLIT_STEMS, type TaskView } from '../../shared/domain.ts';
import {
  createStore,
  toTrackView,
  type Store,
  type TaskRow,
  type TrackRow,
} from '../../electron/core/store/index.ts';
import { openRawConnection, withRawConnection, type RawDb } from '../helpers/raw-sql.ts';
import { percentile } from '../helpers/load.ts';
import { makeTask } from '../helpers/task.ts';
import { benchFlags, loadNow, machine, median, writeReport } from './report.ts';
import { createRandom } from '../../electron/core/simulator/ids.ts';

const { isSmoke, outDir: OUT_DIR } = benchFlags();
const TASKS = isSmoke ? 1_000 : 10_000;
/** 8 in 10 tasks are 12-stem splits, the rest two-take generations: 10 tracks per task on average. */
const SPLIT_SHARE = 0.8;
const ITERATIONS = isSmoke ? 5 : 25;
const TARGET_MS = 20;
const WORDS = [
  'harbor',
  'lights',
  'midnight',
  'velvet',
  'echo',
  'river',
  'neon',
  'paper',
  'golden',
  'static',
  'ember',
  'hollow',
  'signal',
  'drift',
  'canyon',
  'glass',
];

function kieIdOf(n: number): string {
  return `kie${n.toString(16).padStart(29, '0')}`;
}

const QUERIES: Record<string, TaskListQuery> = {
  'first page (100)': { limit: 100, offset: 0 },
  'page 51 (offset 5,000)': { limit: 100, offset: Math.min(5_000, TASKS / 2) },
  'search "harbor"': { search: 'harbor', limit: 100 },
  'failed split_stem tasks': { state: 'failed', kind: 'split_stem', limit: 100 },
  'a pasted KIE task id': { search: kieIdOf(Math.floor(TASKS / 3)), limit: 100 },
};

/** Fills the library through the store's own write paths, as callbacks and downloads would. */
function populate(store: Store): number {
  const random = createRandom(7);
  const word = () => WORDS[Math.floor(random() * WORDS.length)] ?? 'x';
  let tracks = 0;
  store.transaction(() => {
    for (let n = 0; n < TASKS; n++) {
      const isSplit = random() < SPLIT_SHARE;
      const id = `task-${String(n).padStart(6, '0')}`;
      const at = 1_700_000_000_000 + n * 60_000;
      store.tasks.insert(
        makeTask({
          id,
          kie_task_id: kieIdOf(n),
          kind: isSplit ? 'split_stem' : 'add-instrumental',
          title: `${word()} ${word()} ${n}`,
          source_name: `${word()}.mp3`,
          created_at: at,
        }),
      );
      const stems = isSplit ? SPLIT_STEMS : (['take', 'take'] as const);
      stems.forEach((stem, i) => {
        const key = isSplit ? stem : `${id}-take-${i}`;
        const announced = {
          key,
          audioId: isSplit ? null : key,
          stem,
          title: null,
          url: `https://file.example/${id}/${key}.mp3`,
          streamUrl: null,
          imageUrl: null,
          durationSec: 180,
          tags: 'indie',
          prompt: null,
          modelName: null,
        };
        const merged = store.tracks.merge(id, announced, true, 'callback', at);
        store.downloads.enqueue(merged.trackId, announced.url, at);
        tracks++;
      });
      const isFailed = random() < 0.05;
      store.tasks.setState(
        id,
        isFailed ? 'failed' : 'complete',
        at + 1000,
        isFailed ? { code: 'kie_500', message: 'KIE had an internal error.' } : null,
      );
      store.tasks.addStage(id, isFailed ? 'failed' : 'complete', at + 1000, 'callback');
    }
  });
  return tracks;
}

/** What a library without SQL querying does: read every task, track and stage, group them, filter in JS. */
function naiveList(db: RawDb, query: TaskListQuery): TaskView[] {
  const tasks = db.prepare('SELECT * FROM tasks').all() as TaskRow[];
  const tracks = db.prepare('SELECT * FROM tracks').all() as TrackRow[];
  const stages = db.prepare('SELECT task_id, stage, at, source FROM task_stages').all() as Array<{
    task_id: string;
    stage: TaskView['state'];
    at: number;
    source: 'submit' | 'callback' | 'record-info';
  }>;
  const needle = query.search?.toLowerCase();
  const matches = tasks
    .filter((t) => (!query.state || t.state === query.state) && (!query.kind || t.kind === query.kind))
    .filter(
      (t) =>
        !needle ||
        (t.title ?? '').toLowerCase().includes(needle) ||
        (t.source_name ?? '').toLowerCase().includes(needle) ||
        t.kie_task_id === query.search ||
        t.id === query.search,
    )
    .sort((a, b) => b.created_at - a.created_at)
    .slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 200));
  const tracksOf = new Map<string, TrackRow[]>();
  for (const track of tracks) tracksOf.set(track.task_id, [...(tracksOf.get(track.task_id) ?? []), track]);
  const stagesOf = new Map<string, typeof stages>();
  for (const stage of stages) stagesOf.set(stage.task_id, [...(stagesOf.get(stage.task_id) ?? []), stage]);
  return matches.map((row) => ({
    id: row.id,
    kieTaskId: row.kie_task_id,
    midi: null,
    kind: row.kind,
    state: row.state,
    title: row.title,
    sourceName: row.source_name,
    parentTaskId: row.parent_task_id,
    parentAudioId: row.parent_audio_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    stages: (stagesOf.get(row.id) ?? []).map((s) => ({ name: s.stage, at: s.at, source: s.source })),
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    tracks: (tracksOf.get(row.id) ?? []).map(toTrackView),
  }));
}

async function main(): Promise<void> {
  const loadAtStart = loadNow();
  const dir = mkdtempSync(join(tmpdir(), 'stemhook-bench-library-'));
  try {
    const started = performance.now();
    const path = join(dir, 'stemhook.db');
    const unindexedPath = join(dir, 'unindexed.db');
    const built = createStore(path);
    const trackCount = populate(built);
    // Closing checkpoints the WAL into the file, so the copy below holds the whole library.
    built.close();
    console.log(
      `library of ${TASKS} tasks / ${trackCount} tracks built in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    copyFileSync(path, unindexedPath);
    withRawConnection(unindexedPath, (db) => db.exec('DROP INDEX tasks_by_created'));
    const store = createStore(path);
    const unindexed = createStore(unindexedPath);
    const raw = openRawConnection(path);
    const sides: Record<string, (q: TaskListQuery) => TaskView[]> = {
      'store (indexed)': (q) => store.tasks.list(q),
      'store without tasks_by_created': (q) => unindexed.tasks.list(q),
      'naive JS filter': (q) => naiveList(raw, q),
    };
    const rows: Array<Record<string, string | number>> = [];
    const results: Record<string, Record<string, { medianMs: number; p95Ms: number; rows: number }>> = {};
    for (const [name, query] of Object.entries(QUERIES)) {
      const times: Record<string, number[]> = Object.fromEntries(Object.keys(sides).map((s) => [s, []]));
      const counts: Record<string, number> = {};
      const expected = JSON.stringify(store.tasks.list(query).map((t) => t.id));
      for (let i = 0; i < ITERATIONS; i++) {
        const order = Object.keys(sides).map((_, k, all) => all[(k + i) % all.length] as string);
        for (const side of order) {
          const t0 = performance.now();
          const found = sides[side]?.(query) ?? [];
          times[side]?.push(performance.now() - t0);
          counts[side] = found.length;
          if (i === 0 && JSON.stringify(found.map((t) => t.id)) !== expected)
            throw new Error(`${side} disagrees on ${name}`);
        }
      }
      results[name] = {};
      for (const side of Object.keys(sides)) {
        const sorted = Float64Array.from(times[side] ?? []).sort();
        const entry = {
          medianMs: Number(median([...sorted]).toFixed(2)),
          p95Ms: Number(percentile(sorted, 95).toFixed(2)),
          rows: counts[side] ?? 0,
        };
        results[name][side] = entry;
        rows.push({ query: name, side, ...entry });
      }
    }
    console.table(rows);
    const ours = Object.fromEntries(
      Object.entries(results).map(([q, r]) => [q, r['store (indexed)']?.medianMs ?? 0]),
    );
    const worst = Math.max(...Object.values(ours));
    const plans = Object.fromEntries(Object.entries(QUERIES).map(([name, q]) => [name, planOf(raw, q)]));
    console.log(`slowest query through the store: ${worst.toFixed(2)} ms median (target < ${TARGET_MS} ms)`);
    const report = {
      date: new Date().toISOString(),
      smoke: isSmoke,
      machine: machine(loadAtStart),
      library: { tasks: TASKS, tracks: trackCount },
      iterations: ITERATIONS,
      results,
      queryPlans: plans,
      slowestMedianMs: worst,
      targetMs: TARGET_MS,
      meetsTarget: worst < TARGET_MS,
    };
    await writeReport(OUT_DIR, isSmoke ? 'library.smoke.json' : 'library.json', report);
    raw.close();
    store.close();
    unindexed.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The plan SQLite picks for the task part of a query, to show which index it uses. */
function planOf(db: RawDb, q: TaskListQuery): string[] {
  const where = [
    q.state ? 'state = @state' : '',
    q.kind ? 'kind = @kind' : '',
    q.search
      ? `(title LIKE @search ESCAPE '\\' OR source_name LIKE @search ESCAPE '\\' OR kie_task_id = @exact OR id = @exact)`
      : '',
  ].filter(Boolean);
  const sql = `EXPLAIN QUERY PLAN SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC LIMIT 100`;
  const params = {
    ...(q.state ? { state: q.state } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.search ? { search: `%${q.search}%`, exact: q.search } : {}),
  };
  return (db.prepare(sql).all(params) as Array<{ detail: string }>).map((r) => r.detail);
}

await main();
