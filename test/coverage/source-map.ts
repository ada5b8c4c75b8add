// Reads source maps (version 3) without a dependency: the Base64 VLQ `mappings` decoded to segments.

export interface RawSourceMap {
  sources: string[];
  mappings: string;
  sourceRoot?: string;
}

/** One mapped point: generated line/column (0-based) → source index, original line/column (0-based). */
export interface Segment {
  generatedLine: number;
  generatedColumn: number;
  source: number;
  line: number;
  column: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((char, index) => [char, index]));

function decodeVlqGroup(group: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of group) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`source map: bad mapping character ${JSON.stringify(char)}`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  return values;
}

/** Every segment that names an original position, in generated order. */
export function decodeMappings(mappings: string): Segment[] {
  const segments: Segment[] = [];
  let source = 0;
  let line = 0;
  let column = 0;
  mappings.split(';').forEach((lineGroups, generatedLine) => {
    let generatedColumn = 0;
    for (const group of lineGroups.split(',')) {
      if (!group) continue;
      const [columnDelta = 0, sourceDelta, lineDelta, columnInSource] = decodeVlqGroup(group);
      generatedColumn += columnDelta;
      if (columnInSource === undefined) continue;
      source += sourceDelta!;
      line += lineDelta!;
      column += columnInSource;
      segments.push({ generatedLine, generatedColumn, source, line, column });
    }
  });
  return segments;
}
