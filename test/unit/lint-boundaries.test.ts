// The project's lint config enforces the architecture: the core's layer order, export/audio/kie/
// tunnel never reaching host/, and no import cycles anywhere (real ESLint, real config, real files).
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

/** Rule ids and messages ESLint reports for `code` as if it were the file at `filePath`. */
async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint boundaries', () => {
  it.each([
    ['electron/core/store/probe.ts', '../pipeline/downloader.ts'],
    ['electron/core/store/probe.ts', '../receiver/server.ts'],
    ['electron/core/store/probe.ts', '../host/events.ts'],
    ['electron/core/pipeline/probe.ts', '../receiver/server.ts'],
    ['electron/core/pipeline/probe.ts', '../host/events.ts'],
    ['electron/core/receiver/probe.ts', '../host/events.ts'],
    ['electron/core/export/probe.ts', '../host/api-errors.ts'],
    ['electron/core/audio/probe.ts', '../host/events.ts'],
    ['electron/core/kie/probe.ts', '../host/events.ts'],
    ['electron/core/tunnel/probe.ts', '../host/events.ts'],
  ])('%s may not import %s', async (file, target) => {
    const found = await problems(file, `import type { X } from '${target}';\nexport type Y = X;\n`);
    expect(found).toEqual([expect.stringMatching(/^no-restricted-imports: .*Layer order/)]);
  });

  it.each([
    ['electron/core/host/probe.ts', '../store/index.ts'],
    ['electron/core/receiver/probe.ts', '../pipeline/downloader.ts'],
    ['electron/core/pipeline/probe.ts', '../store/index.ts'],
  ])('%s may import the lower layer %s', async (file, target) => {
    expect(await problems(file, `import type { X } from '${target}';\nexport type Y = X;\n`)).toEqual([]);
  });

  it('reports an import that closes a cycle, naming every file on it', async () => {
    // host/core.ts imports store/index.ts, so store/index.ts importing host/core.ts is a cycle.
    const found = await problems(
      'electron/core/store/index.ts',
      "import type { Core } from '../host/core.ts';\nexport type C = Core;\n",
    );
    expect(found).toContainEqual(
      expect.stringMatching(
        /^stemhook\/no-import-cycle: Import cycle: electron\/core\/store\/index\.ts → electron\/core\/host\/core\.ts → .*electron\/core\/store\/index\.ts$/,
      ),
    );
  });

  it.each([
    // shared/api.ts imports shared/result.ts (the Result envelope).
    ['shared/result.ts', './api.ts', /shared\/result\.ts → shared\/api\.ts → shared\/result\.ts$/],
    // renderer/src/api/upload.ts imports window-api.ts.
    ['renderer/src/api/window-api.ts', './upload.ts', /window-api\.ts → .*upload\.ts → .*window-api\.ts$/],
  ])('reports a cycle in %s too', async (file, target, cycle) => {
    const found = await problems(file, `import type { X } from '${target}';\nexport type Y = X;\n`);
    expect(found).toContainEqual(expect.stringMatching(cycle));
  });
});
