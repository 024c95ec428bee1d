// `npx node bench/profile.ts FILE_OR_DIR [TOP]`: where a `node --cpu-prof` profile spends its time,
// by function (self time) and by package, with the bundle's positions mapped back to src/.
import { readdir, readFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const maps = new Map<string, Promise<SourceMap | null>>();
function sourceMapOf(url: string): Promise<SourceMap | null> {
  if (!maps.has(url))
    maps.set(
      url,
      readFile(`${fileURLToPath(url)}.map`, 'utf8').then(
        (text) => new SourceMap(JSON.parse(text)),
        () => null,
      ),
    );
  return maps.get(url) as Promise<SourceMap | null>;
}

/** `src/…:line`, `node_modules/<package>/…:line`, `node:…` or V8's own `(garbage collector)`. */
async function place(frame: ProfileNode['callFrame']): Promise<{ where: string; group: string }> {
  if (!frame.url) return { where: '', group: frame.functionName || '(anonymous)' };
  if (!frame.url.startsWith('file:'))
    return { where: frame.url, group: frame.url.split('/')[0] as string };
  const entry = (await sourceMapOf(frame.url))?.findEntry(frame.lineNumber, frame.columnNumber);
  const mapped = entry && 'originalSource' in entry;
  // The map names sources relative to the bundle.
  const file = relative(
    process.cwd(),
    fileURLToPath(mapped ? new URL(entry.originalSource, frame.url) : frame.url),
  );
  const line = (mapped ? entry.originalLine : frame.lineNumber) + 1;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
  return { where: `${file}:${line}`, group: pkg ?? file.split('/').slice(0, 3).join('/') };
}

const percent = (part: number, whole: number) =>
  `${((part / whole) * 100).toFixed(1).padStart(5)}%`;

/** The top self-time functions and packages of one profile, as text. */
export async function summarize(file: string, top = 25): Promise<string> {
  const profile: Profile = JSON.parse(await readFile(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byFunction = new Map<string, number>();
  const byGroup = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of self) {
    const frame = (nodes.get(id) as ProfileNode).callFrame;
    const { where, group } = await place(frame);
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    byGroup.set(group, (byGroup.get(group) ?? 0) + micros);
    total += micros;
  }
  // Idle time is the event loop waiting: the share of the rest is what the CPU did.
  const idle = byGroup.get('(idle)') ?? 0;
  const busy = total - idle;
  const rank = (map: Map<string, number>) =>
    [...map]
      .filter(([name]) => !name.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => `${percent(micros, busy)}  ${name}`);
  return [
    `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${percent(idle, total).trim()} idle; shares of the busy time:`,
    'by package or source directory:',
    ...rank(byGroup),
    'by function (self time):',
    ...rank(byFunction),
  ].join('\n');
}

/** Every `.cpuprofile` in `dir` (one per process), summarized. */
export async function summarizeProfiles(dir: string, top?: number): Promise<string> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile')).sort();
  return (await Promise.all(files.map((name) => summarize(join(dir, name), top)))).join('\n\n');
}

if (import.meta.main) {
  const [target = '.', top] = process.argv.slice(2);
  const text = target.endsWith('.cpuprofile')
    ? await summarize(target, Number(top ?? 25))
    : await summarizeProfiles(target, Number(top ?? 25));
  console.log(text);
}
