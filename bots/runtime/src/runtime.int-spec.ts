import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { AudioRecorder } from './audio-recorder';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { createBotLogger } from './logger';
import { installNavigationGuard } from './navigation-guard';
import { parsePlatformOrigins } from './platform-origins';
import { sleep } from './process-util';
import { createNullSink, ensurePulseAudio, removeNullSink, type NullSink, type PulseEnv } from './pulse-audio';
import { readRuntimeEnv } from './runtime-env';

/** Runtime plumbing against the real Chromium, PulseAudio and ffmpeg. */
const log = createBotLogger('warn');
const env = readRuntimeEnv();
let pulse: PulseEnv;

function durationS(file: string): number {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return Number.parseFloat(r.stdout.trim());
}

function meanDb(file: string, startS: number, lenS: number): number {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostats', '-ss', String(startS), '-t', String(lenS), '-i', file, '-af', 'volumedetect', '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  const m = /mean_volume: (-?[\d.]+|-inf) dB/.exec(r.stderr);
  assert.ok(m, r.stderr.slice(-300));
  return m[1] === '-inf' ? -Infinity : Number.parseFloat(m[1]);
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

before(async () => {
  pulse = await ensurePulseAudio(env);
});

describe('audio recorder', () => {
  test('records a sink monitor into ≤ N s segments as it goes, joins them, and tracks silence', { timeout: 60_000 }, async () => {
    const sink = await createNullSink(pulse, `rt_${process.pid}_a`);
    const dir = mkdtempSync(join(tmpdir(), 'rapport-rec-int-'));
    try {
      const rec = new AudioRecorder({ source: sink.monitor, dir, pulse, log, segmentSeconds: 2 });
      const startedAt = await rec.start();
      assert.ok(Math.abs(startedAt - Date.now()) < 2000, 'start time is the wall clock');
      // 4 s of tone into the sink, then silence.
      const wav = join(dir, 'tone.wav');
      spawnSync('sox', ['-n', '-r', '48000', '-c', '1', wav, 'synth', '4', 'sine', '440', 'vol', '0.5']);
      await sleep(2000);
      const toneAt = Date.now();
      const tone = spawn('paplay', ['--latency-msec=50', `--device=${sink.name}`, wav], { env: { ...process.env, ...pulse } });
      await new Promise((r) => tone.on('close', r));
      assert.ok(Date.now() - (rec.lastSoundAt() ?? 0) < 1500, 'sound is heard while the tone plays');
      await sleep(3500);
      assert.ok(rec.segmentFiles().length >= 4, `segments written while recording: ${rec.segmentFiles().length}`);
      assert.ok(rec.bytesWritten() > 0);
      const silentFor = Date.now() - (rec.lastSoundAt() ?? Date.now());
      assert.ok(silentFor > 1500, `silence detected for ${silentFor} ms`);
      const stoppedAt = Date.now();
      const file = await rec.finalize();
      assert.ok(file);
      const d = durationS(file);
      const expected = (stoppedAt - startedAt) / 1000;
      assert.ok(Math.abs(d - expected) < 0.5, `duration ${d}s vs ${expected}s recorded`);
      const toneS = (toneAt - startedAt) / 1000;
      assert.ok(meanDb(file, toneS + 0.5, 3) > -30, 'the tone is in the file');
      assert.ok(meanDb(file, 0.5, toneS - 0.8) < -60, 'silence before it');
      assert.ok(meanDb(file, d - 2, 1.5) < -60, 'the silence is silent');
      assert.deepEqual(rec.segmentFiles(), [], 'segments removed once joined');
    } finally {
      await removeNullSink(pulse, sink);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Chromium as the bot launches it', () => {
  let launched: LaunchedBrowser;
  let sink: NullSink;
  let userDataDir: string;
  const hits: string[] = [];
  let platform: { server: Server; origin: string };
  let elsewhere: { server: Server; origin: string };

  before(async () => {
    elsewhere = await listen((req, res) => {
      hits.push(req.url ?? '');
      res.end('<p>elsewhere</p>');
    });
    platform = await listen((req, res) => {
      if (req.url === '/jump') {
        res.setHeader('content-type', 'text/html');
        res.end(`<script>setTimeout(() => { location.href = '${elsewhere.origin}/scripted'; }, 100);</script>`);
        return;
      }
      if (req.url === '/redirect') {
        res.writeHead(302, { Location: `${elsewhere.origin}/stolen` });
        res.end();
        return;
      }
      res.setHeader('content-type', 'text/html');
      res.end('<p>meeting</p>');
    });
    sink = await createNullSink(pulse, `rt_${process.pid}_b`);
    userDataDir = mkdtempSync(join(tmpdir(), 'rapport-chromium-int-'));
    launched = await launchBrowser({ executablePath: env.chromiumPath, env: { ...pulse, PULSE_SINK: sink.name }, userDataDir });
  });

  after(async () => {
    await launched?.browser.close();
    await removeNullSink(pulse, sink);
    rmSync(userDataDir, { recursive: true, force: true });
    platform.server.close();
    elsewhere.server.close();
  });

  test('looks like an ordinary browser: no automation flag, no "Headless" user agent, en-US', async () => {
    const p = launched.page;
    await p.goto('about:blank');
    const probe = await p.evaluate(() => ({ webdriver: navigator.webdriver, ua: navigator.userAgent, lang: navigator.language }));
    assert.equal(probe.ua.includes('Headless'), false);
    assert.equal(probe.lang, 'en-US');
    const cmdline = spawnSync('cat', [`/proc/${launched.pid}/cmdline`], { encoding: 'utf8' }).stdout.split('\0');
    for (const flag of ['--enable-automation', '--mute-audio', '--disable-web-security', '--ignore-certificate-errors']) {
      assert.equal(cmdline.includes(flag), false, flag);
    }
    assert.ok(cmdline.includes('--autoplay-policy=no-user-gesture-required'));
  });

  test('plays page audio into its own sink (not muted)', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-rec-int-'));
    try {
      const rec = new AudioRecorder({ source: sink.monitor, dir, pulse, log, segmentSeconds: 2 });
      await rec.start();
      await launched.page.evaluate(() => {
        const ctx = new AudioContext();
        const osc = ctx.createOscillator();
        osc.connect(ctx.destination);
        osc.start();
        osc.stop(ctx.currentTime + 2);
      });
      await sleep(3000);
      const file = await rec.finalize();
      assert.ok(file);
      assert.ok(meanDb(file, 0, 3) > -40, 'the page tone reached the recording');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses navigations and redirects off the platform', { timeout: 30_000 }, async () => {
    const blocked: string[] = [];
    const origins = parsePlatformOrigins(`meet.google.com=${platform.origin}`);
    await installNavigationGuard(launched.page, ['meet.google.com'], origins, (u) => blocked.push(u));
    const ok = await launched.page.goto(`${platform.origin}/abc-defg-hij`);
    assert.equal(ok?.status(), 200);
    await assert.rejects(launched.page.goto(`${platform.origin}/redirect`));
    await assert.rejects(launched.page.goto(`${elsewhere.origin}/direct`));
    // A page script that sends the browser elsewhere.
    await launched.page.goto(`${platform.origin}/jump`);
    for (let i = 0; i < 50 && blocked.length < 3; i++) await sleep(100);
    assert.deepEqual(blocked, [`${elsewhere.origin}/stolen`, `${elsewhere.origin}/direct`, `${elsewhere.origin}/scripted`]);
    assert.deepEqual(hits, [], 'nothing off-platform was fetched');
    // A refused navigation leaves Chromium's error page, never the other site.
    assert.notEqual(new URL(launched.page.url()).origin, elsewhere.origin);
  });
});
