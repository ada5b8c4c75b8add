// Where an ingest writes: the published outputs and the `.part` files they are renamed from.

export function outputPaths(outBase: string): { pcmPath: string; peaksPath: string } {
  return { pcmPath: `${outBase}.pcm`, peaksPath: `${outBase}.peaks` };
}

export function partPaths(outBase: string): string[] {
  const { pcmPath, peaksPath } = outputPaths(outBase);
  return [`${pcmPath}.part`, `${peaksPath}.part`];
}
