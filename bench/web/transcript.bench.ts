/**
 * The meeting report with a 2-hour transcript: time to show the transcript, and frame times
 * while scrolling it end to end, in headless Chromium against the real API and dashboard.
 * The transcript list is virtualized (@tanstack/react-virtual): this checks it stays smooth.
 *
 *   npm run build && node dist/bench/web/transcript.bench.js
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { chromium } from 'playwright-core';
import { BLOB_STORE } from '@rapport/core';
import { DataKeyService } from '@rapport/crypto';
import type { BlobStore } from '@rapport/storage';
import { registerAndLogin, startApi } from '../../apps/api/test/api-harness';
import { seedAnalysedMeeting, seedArtefacts } from '../../apps/api/src/graphql/testing/dashboard-seed';

const DURATION = 7200;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function main(): Promise<void> {
  const api = await startApi();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const ds = api.app.get(DataSource);
    const me = await registerAndLogin(api, 'long@example.test');
    const names = ['Me', 'Sam', 'Priya', 'Lee', 'Ana', 'Joe'];
    const seeded = await seedAnalysedMeeting(ds, { ownerId: me.id, title: 'Two-hour workshop', speakers: names.map((name, i) => (i === 0 ? { name, userId: me.id } : { name })), durationSec: DURATION, seed: 9 });
    const audioFile = join(tmpdir(), `rapport-bench-${process.pid}.ogg`);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `anullsrc=r=16000:cl=mono`, '-t', String(DURATION), '-c:a', 'libopus', '-b:a', '6k', audioFile]);
    const audio = readFileSync(audioFile);
    rmSync(audioFile, { force: true });
    await seedArtefacts({ ds, blobs: api.app.get<BlobStore>(BLOB_STORE), keys: api.app.get(DataKeyService) }, { ownerId: me.id, meetingId: seeded.meetingId, transcript: seeded.transcript, audio, contentType: 'audio/ogg', durationSec: DURATION });

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${api.baseUrl}/signin`);
    await page.evaluate((t) => localStorage.setItem('rapport.session', JSON.stringify({ accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: Date.now() + t.expiresIn * 1000 })), me);
    const t0 = Date.now();
    await page.goto(`${api.baseUrl}/meeting?id=${seeded.meetingId}`);
    await page.getByTestId('transcript-line').first().waitFor({ timeout: 60_000 });
    const shownMs = Date.now() - t0;
    const result = await page.evaluate(async () => {
      const el = document.querySelector('[data-testid="transcript"]') as HTMLElement;
      el.scrollIntoView();
      const longTasks: number[] = [];
      const obs = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
      obs.observe({ type: 'longtask', buffered: false });
      const frames: number[] = [];
      const maxRows: number[] = [];
      let last = performance.now();
      // Scroll top to bottom in 240 frames (~4 s at 60 fps), like a fast flick through the meeting.
      const step = (el.scrollHeight - el.clientHeight) / 240;
      for (let i = 0; i < 240; i++) {
        el.scrollTop = Math.round(step * (i + 1));
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        maxRows.push(el.querySelectorAll('[data-testid="transcript-line"]').length);
      }
      obs.disconnect();
      return { frames, longTasks, maxRows: Math.max(...maxRows), reachedEnd: el.scrollTop + el.clientHeight >= el.scrollHeight - 2 };
    });
    console.log(`2-hour meeting: ${seeded.transcript.utterances.length.toLocaleString()} transcript lines, ${seeded.transcript.utterances.reduce((n, u) => n + u.text.split(' ').length, 0).toLocaleString()} words`);
    console.log(`report to first transcript line: ${shownMs} ms (API + GraphQL + transcript fetch and decrypt + render)`);
    console.log(`scrolling end to end in 240 frames: frame p50 ${pct(result.frames, 50).toFixed(1)} ms, p95 ${pct(result.frames, 95).toFixed(1)} ms, max ${Math.max(...result.frames).toFixed(1)} ms; long tasks (>50 ms): ${result.longTasks.length}${result.longTasks.length ? ` (max ${Math.max(...result.longTasks).toFixed(0)} ms)` : ''}`);
    console.log(`rows in the DOM at most: ${result.maxRows} of ${seeded.transcript.utterances.length}; reached the end: ${result.reachedEnd}`);
  } finally {
    await browser.close();
    await api.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
