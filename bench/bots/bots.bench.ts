/**
 * Bot benchmark: 1, 2 and 4 concurrent Meet bots, each in its own simulated meeting, each bot
 * its own process (compiled JS: the Meet bot entry `bots/meet/src/main.js`, as the bot runner
 * will spawn it, or `rapport bot join` with `--entry cli`).
 *
 * Per bot: PSS of its whole process tree (node + Chromium + ffmpeg) from
 * /proc/<pid>/smaps_rollup, CPU share (utime+stime of the tree / wall time) while recording,
 * dispatch (process spawn) → `in_call_recording`, and gaps in the recording (packet timestamp
 * holes, and recorded length vs the wall-clock span it covers).
 *
 *   npx tsc -p tsconfig.build.json --outDir tmp/bench-dist && npx tsc-alias -p tsconfig.build.json --outDir tmp/bench-dist
 *   npx tsx bench/bots/bots.bench.ts --dist tmp/bench-dist --entry meet --counts 1,2,4
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SimulatorClient, startSimulator } from '@rapport/simulator';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const DIST = resolve(args.get('dist') ?? 'tmp/bench-dist');
// `meet`: the Meet bot's own process entry (what the bot runner spawns); `cli`: `rapport bot join`.
const ENTRY = args.get('entry') ?? 'meet';
const BOT_ARGV = ENTRY === 'cli' ? [join(DIST, 'apps/cli/src/main.js'), 'bot', 'join'] : [join(DIST, 'bots/meet/src/main.js')];
const COUNTS = (args.get('counts') ?? '1,2,4').split(',').map(Number);
const TALK_MS = Number(args.get('talk-ms') ?? 30000);
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

interface BotSample {
  pss: number[];
  uss: number[];
  cpuTicksStart: number | null;
  cpuTicksEnd: number | null;
  tStart: number | null;
  tEnd: number | null;
}

function procTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const p = queue.shift() as number;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/** PSS and USS (private clean + dirty) of one process, kB. */
function memKb(pid: number): { pss: number; uss: number } {
  try {
    const t = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(t)?.[1] ?? 0);
    return { pss: field('Pss'), uss: field('Private_Clean') + field('Private_Dirty') };
  } catch {
    return { pss: 0, uss: 0 };
  }
}

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields after ")": state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  } catch {
    return 0;
  }
}

function recordingGaps(file: string): { maxPtsGapMs: number; durationS: number } {
  const r = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  let maxGap = 0;
  let prevEnd: number | null = null;
  for (const line of r.stdout.trim().split('\n')) {
    const [pts, dur] = line.split(',').map(Number);
    if (!Number.isFinite(pts)) continue;
    if (prevEnd !== null) maxGap = Math.max(maxGap, (pts - prevEnd) * 1000);
    prevEnd = pts + (Number.isFinite(dur) ? dur : 0.02);
  }
  const d = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return { maxPtsGapMs: Math.round(maxGap), durationS: Number.parseFloat(d.stdout.trim()) };
}

const SCRIPT_LINES = [
  'Good morning everyone, thanks for joining the weekly planning meeting.',
  'Let us start with the release status and then move on to hiring.',
  'The release candidate passed all integration tests last night.',
  'We still have two open issues on the payments page to look at.',
  'I can take the first one, it looks like a rounding problem.',
  'Great, then I will pair with Sam on the second one this afternoon.',
];

async function runRound(sim: { origin: string }, n: number) {
  const client = new SimulatorClient(sim.origin);
  const meetings = await Promise.all(
    Array.from({ length: n }, () =>
      client.createMeeting({
        admission: 'open',
        participants: [{ name: 'Ada Lovelace' }, { name: 'Grace Hopper' }],
        script: SCRIPT_LINES.map((text, i) => ({ speaker: i % 2 ? 'Grace Hopper' : 'Ada Lovelace', text, atMs: 3000 + Math.round((i * (TALK_MS - 3000)) / SCRIPT_LINES.length) })),
        hostEndsAfterMs: TALK_MS + 5000,
      }),
    ),
  );
  const bots = meetings.map((m) => {
    const out = mkdtempSync(join(tmpdir(), 'rapport-bench-'));
    const spawnedAt = Date.now();
    const child: ChildProcess = spawn(process.execPath, [...BOT_ARGV, m.url, '--out', out, '--log-level', 'warn'], {
      env: { ...process.env, RAPPORT_PLATFORM_ORIGINS: `meet.google.com=${sim.origin}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const events: Array<{ code: string; subCode: string | null; at: string }> = [];
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    const sample: BotSample = { pss: [], uss: [], cpuTicksStart: null, cpuTicksEnd: null, tStart: null, tEnd: null };
    return { m, out, child, events, exited, sample, spawnedAt, stderr: () => stderr };
  });

  const timer = setInterval(() => {
    const now = Date.now();
    for (const b of bots) {
      if (!b.child.pid || b.child.exitCode !== null) continue;
      const recording = b.events.some((e) => e.code === 'in_call_recording');
      const ended = b.events.some((e) => e.code === 'call_ended' || e.code === 'fatal');
      if (!recording || ended) continue;
      const tree = procTree(b.child.pid);
      const ticks = tree.reduce((s, p) => s + cpuTicks(p), 0);
      // Skip the first 3 s of recording: start-up work (page scripts, encoder warm-up) is in dispatch time.
      const recAt = Date.parse(b.events.find((e) => e.code === 'in_call_recording')?.at ?? '');
      if (now - recAt < 3000) continue;
      if (b.sample.cpuTicksStart === null) {
        b.sample.cpuTicksStart = ticks;
        b.sample.tStart = now;
      }
      b.sample.cpuTicksEnd = ticks;
      b.sample.tEnd = now;
      const mem = tree.map(memKb);
      b.sample.pss.push(mem.reduce((s, m) => s + m.pss, 0));
      b.sample.uss.push(mem.reduce((s, m) => s + m.uss, 0));
    }
  }, 1000);
  const codes = await Promise.all(bots.map((b) => b.exited));
  clearInterval(timer);

  return bots.map((b, i) => {
    const rec = b.events.find((e) => e.code === 'in_call_recording');
    const end = b.events.find((e) => e.code === 'call_ended' || e.code === 'fatal');
    const s = b.sample;
    const cpu = s.cpuTicksStart !== null && s.cpuTicksEnd !== null && s.tEnd && s.tStart && s.tEnd > s.tStart
      ? (s.cpuTicksEnd - s.cpuTicksStart) / CLK_TCK / ((s.tEnd - s.tStart) / 1000)
      : NaN;
    const timeline = JSON.parse(readFileSync(join(b.out, 'timeline.json'), 'utf8')) as { recordingStartedAt: string };
    const gaps = recordingGaps(join(b.out, 'recording.ogg'));
    const spanS = end ? (Date.parse(end.at) - Date.parse(timeline.recordingStartedAt)) / 1000 : NaN;
    if (codes[i] !== 0) process.stderr.write(`bot ${i} exited ${codes[i]}: ${b.stderr()}\n`);
    return {
      bot: i,
      exit: codes[i],
      final: `${end?.code}/${end?.subCode}`,
      dispatchToRecordingMs: rec ? Date.parse(rec.at) - b.spawnedAt : NaN,
      pssMeanMb: s.pss.length ? Math.round(s.pss.reduce((a, x) => a + x, 0) / s.pss.length / 1024) : NaN,
      pssPeakMb: s.pss.length ? Math.round(Math.max(...s.pss) / 1024) : NaN,
      ussMeanMb: s.uss.length ? Math.round(s.uss.reduce((a, x) => a + x, 0) / s.uss.length / 1024) : NaN,
      cpuCores: Math.round(cpu * 1000) / 1000,
      maxPtsGapMs: gaps.maxPtsGapMs,
      recordedS: gaps.durationS,
      wallSpanS: Math.round(spanS * 100) / 100,
      missingMs: Math.round((spanS - gaps.durationS) * 1000),
    };
  });
}

async function main(): Promise<void> {
  const sim = await startSimulator({ port: 0 });
  const results: Record<number, Awaited<ReturnType<typeof runRound>>> = {};
  try {
    // Warm the speech cache so synthesis is not part of dispatch time.
    await runRound(sim, 1).catch(() => undefined);
    for (const n of COUNTS) {
      const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
      results[n] = await runRound(sim, n);
      process.stderr.write(`${n} bot(s), load average before: ${load}: ${JSON.stringify(results[n])}\n`);
    }
  } finally {
    await sim.close();
  }
  process.stdout.write(`${JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model }, entry: ENTRY, talkMs: TALK_MS, results }, null, 2)}\n`);
}

void main();
