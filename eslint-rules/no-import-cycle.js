// Local ESLint rule: no import cycles through relative `.ts`/`.tsx` imports (type-only imports
// count too: a type cycle is still two modules that cannot be understood apart).
// Self-contained so the project needs no extra plugin; the graph is read from disk once per run.
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

// `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')` with a relative specifier.
const IMPORT_PATTERN =
  /(?:^|[\s;])(?:import|export)\s(?:[^'"`;]*?\sfrom\s*)?['"](\.\.?\/[^'"]+)['"]|\bimport\(\s*['"](\.\.?\/[^'"]+)['"]\s*\)/g;
const COMMENT_PATTERN = /\/\*[\s\S]*?\*\/|(?<![:'"\\])\/\/[^\n]*/g;

/** file → { mtimeMs, imports } so a long `eslint --cache`-less run reads each file once. */
const graphCache = new Map();

function isSourceFile(path) {
  try {
    return statSync(path).isFile() && /\.(ts|tsx)$/.test(path);
  } catch {
    return false;
  }
}

function importsOf(file) {
  let mtimeMs;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const cached = graphCache.get(file);
  if (cached && cached.mtimeMs === mtimeMs) return cached.imports;
  const text = readFileSync(file, 'utf8').replace(COMMENT_PATTERN, '');
  const imports = [];
  for (const match of text.matchAll(IMPORT_PATTERN)) {
    const target = resolve(dirname(file), match[1] ?? match[2]);
    if (isSourceFile(target)) imports.push(target);
  }
  graphCache.set(file, { mtimeMs, imports });
  return imports;
}

/** A path of files from `start` back to `goal` (breadth-first, so the shortest), or null. */
function pathBack(start, goal) {
  const cameFrom = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    if (file === goal) {
      const path = [];
      for (let at = file; at !== null; at = cameFrom.get(at)) path.unshift(at);
      return path;
    }
    for (const next of importsOf(file)) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles between relative .ts/.tsx modules' },
    messages: { cycle: 'Import cycle: {{cycle}}' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const cwd = context.cwd;
    function check(node) {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = resolve(dirname(file), specifier);
      if (!isSourceFile(target)) return;
      const path = target === file ? [file] : pathBack(target, file);
      if (!path) return;
      const cycle = [file, ...path].map((p) => relative(cwd, p)).join(' → ');
      context.report({ node: node.source, messageId: 'cycle', data: { cycle } });
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};
