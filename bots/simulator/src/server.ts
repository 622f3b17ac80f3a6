import { createReadStream, existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '@rapport/common';
import { SimMeeting, newMeetingCode, type ScriptLine } from './meeting';
import { parseScenario, voicesFor } from './scenario';
import { speechCacheDir, synthesize } from './speech';
import { clientScript, homePage, meetingShell, notFoundPage, signInPage } from './pages';

const CODE = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/;
const SYNTH_CONCURRENCY = 4;

const actionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('admit') }),
  z.strictObject({ type: z.literal('deny') }),
  z.strictObject({ type: z.literal('remove_bot') }),
  z.strictObject({ type: z.literal('end') }),
  z.strictObject({ type: z.literal('everyone_leave') }),
  z.strictObject({ type: z.literal('participant_join'), name: z.string().trim().min(1).max(100) }),
  z.strictObject({ type: z.literal('participant_leave'), name: z.string().trim().min(1).max(100) }),
  z.strictObject({ type: z.literal('chat'), from: z.string().trim().min(1).max(100), text: z.string().min(1).max(500) }),
]);

/** What the page reports; times are the page's epoch ms. */
const pageLogSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('join'), name: z.string().trim().min(1).max(200), micOn: z.boolean(), cameraOn: z.boolean() }),
  z.object({ type: z.literal('utterance_started'), index: z.number().int().min(0), at: z.number() }),
  z.object({ type: z.literal('utterance_ended'), index: z.number().int().min(0), at: z.number() }),
  z.object({ type: z.literal('chat'), text: z.string().min(1).max(500) }),
  z.object({ type: z.literal('left') }),
  z.object({
    type: z.enum(['device_prompt', 'dialog_ack', 'dialog_leave', 'captions', 'chat_panel', 'microphone', 'camera', 'audio_error']),
    value: z.union([z.string().max(200), z.boolean()]).optional(),
  }),
]);

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `${[what, ...i.path].join('.')}: ${i.message}`).join('; ');
  throw new AppError('bad_request', `invalid_${what}`, detail);
}

/**
 * The HTTP side of the simulator: the control API under `/_sim/` for tests and the Meet-shaped
 * pages at `/<code>` for bots. Meetings live in memory; one process is one set of meetings.
 */
export class SimulatorServer {
  readonly meetings = new Map<string, SimMeeting>();
  readonly app = express();

  constructor() {
    const app = this.app;
    app.disable('x-powered-by');
    app.use(express.json({ limit: '1mb' }));

    app.get('/_sim/health', (_req, res) => {
      res.json({ ok: true, meetings: this.meetings.size });
    });

    app.post('/_sim/meetings', async (req, res) => {
      const body = (req.body ?? {}) as { scenario?: unknown };
      const meeting = await this.createMeeting(body.scenario);
      res.status(201).json({
        code: meeting.code,
        url: `https://meet.google.com/${meeting.code}`,
        simUrl: `${originOf(req)}/${meeting.code}`,
      });
    });

    app.get('/_sim/meetings', (_req, res) => {
      res.json([...this.meetings.values()].map((m) => ({ code: m.code, botStatus: m.botStatus, botName: m.botName })));
    });

    app.get('/_sim/meetings/:code', (req, res) => {
      res.json(this.meeting(req.params.code).state());
    });

    app.post('/_sim/meetings/:code/actions', (req, res) => {
      const meeting = this.meeting(req.params.code);
      const action = parse(actionSchema, req.body, 'action');
      meeting.log('host_action', { action: action.type });
      switch (action.type) {
        case 'admit':
          if (meeting.botStatus !== 'lobby') throw new AppError('conflict', 'bot_not_in_lobby', `bot is ${meeting.botStatus}, not in the lobby`);
          meeting.admit();
          break;
        case 'deny':
          if (meeting.botStatus !== 'lobby') throw new AppError('conflict', 'bot_not_in_lobby', `bot is ${meeting.botStatus}, not in the lobby`);
          meeting.deny();
          break;
        case 'remove_bot':
          if (meeting.botStatus !== 'in_call') throw new AppError('conflict', 'bot_not_in_call', `bot is ${meeting.botStatus}, not in the call`);
          meeting.removeBot();
          break;
        case 'end':
          meeting.end();
          break;
        case 'everyone_leave':
          meeting.everyoneLeave();
          break;
        case 'participant_join':
          if (!meeting.participants.some((p) => p.name === action.name)) {
            throw new AppError('bad_request', 'unknown_participant', `action.name: "${action.name}" is not in participants or lateJoiners`);
          }
          meeting.participantJoins(action.name);
          break;
        case 'participant_leave':
          if (!meeting.present.some((p) => p.name === action.name)) {
            throw new AppError('conflict', 'participant_not_present', `action.name: "${action.name}" is not in the call`);
          }
          meeting.participantLeaves(action.name);
          break;
        case 'chat':
          meeting.participantChat(action.from, action.text);
          break;
      }
      res.json(meeting.state());
    });

    // --- used by the page itself -------------------------------------------------------
    app.get('/_sim/meetings/:code/view', (req, res) => {
      res.set('Cache-Control', 'no-store').json(this.meeting(req.params.code).view());
    });

    app.post('/_sim/meetings/:code/log', (req, res) => {
      const meeting = this.meeting(req.params.code);
      const entry = parse(pageLogSchema, req.body, 'log');
      switch (entry.type) {
        case 'join':
          meeting.requestJoin(entry.name, entry.micOn, entry.cameraOn);
          break;
        case 'utterance_started':
          meeting.utteranceStarted(entry.index, entry.at);
          break;
        case 'utterance_ended':
          meeting.utteranceEnded(entry.index, entry.at);
          break;
        case 'chat':
          if (!meeting.botChat(entry.text)) throw new AppError('conflict', 'bot_not_in_call', 'chat is only possible in the call');
          break;
        case 'left':
          meeting.botLeft();
          break;
        default:
          meeting.log(entry.type, entry.value === undefined ? {} : { value: entry.value });
      }
      res.json(meeting.view());
    });

    app.get('/_sim/audio/:file', (req, res) => {
      const file = req.params.file;
      if (!/^[0-9a-f]{32}\.wav$/.test(file)) throw new AppError('not_found', 'clip_not_found', 'no such clip');
      const path = join(speechCacheDir(), file);
      if (!existsSync(path)) throw new AppError('not_found', 'clip_not_found', 'no such clip');
      res.set({ 'Content-Type': 'audio/wav', 'Cache-Control': 'public, max-age=86400' });
      createReadStream(path).pipe(res);
    });

    app.get('/_sim/static/meet.js', (_req, res) => {
      res.set({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }).send(clientScript());
    });

    // --- the Meet-shaped site ------------------------------------------------------------
    app.get('/favicon.ico', (_req, res) => {
      res.status(204).end();
    });
    app.get('/', (_req, res) => {
      res.type('html').send(homePage());
    });

    app.get('/:code', (req, res, next) => {
      const code = req.params.code;
      if (code.startsWith('_')) {
        next();
        return;
      }
      const meeting = CODE.test(code) ? this.meetings.get(code) : undefined;
      res.set('Cache-Control', 'no-store').type('html');
      if (!meeting) {
        res.status(404).send(notFoundPage());
        return;
      }
      meeting.pageLoaded();
      switch (meeting.scenario.page) {
        case 'not_found':
          res.status(404).send(notFoundPage());
          return;
        case 'sign_in_required':
          res.send(signInPage(code));
          return;
        default:
          res.send(meetingShell(code));
      }
    });

    app.use((_req, _res, next) => next(new AppError('not_found', 'route_not_found', 'no such route')));
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      if (err instanceof AppError) {
        res.status(err.status).json({ code: err.code, message: err.message });
        return;
      }
      const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      res.status(status).json({ code: status === 400 ? 'bad_json' : 'internal', message });
    });
  }

  async createMeeting(scenarioInput: unknown): Promise<SimMeeting> {
    const scenario = parseScenario(scenarioInput);
    const voices = voicesFor(scenario);
    // A few espeak-ng processes at a time: a 500-line script must not fork 500 at once.
    const script: ScriptLine[] = new Array<ScriptLine>(scenario.script.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < scenario.script.length) {
        const index = next++;
        const line = scenario.script[index]!;
        const voice = voices.get(line.speaker) ?? 'en-us';
        const clip = await synthesize(voice, line.text);
        script[index] = { index, ...line, voice, durationMs: clip.durationMs, audioUrl: `/_sim/audio/${clip.hash}.wav` };
      }
    };
    await Promise.all(Array.from({ length: Math.min(SYNTH_CONCURRENCY, scenario.script.length) }, worker));
    let code = newMeetingCode();
    while (this.meetings.has(code)) code = newMeetingCode();
    const meeting = new SimMeeting(code, scenario, script, voices);
    this.meetings.set(code, meeting);
    return meeting;
  }

  meeting(code: string): SimMeeting {
    const meeting = this.meetings.get(code);
    if (!meeting) throw new AppError('not_found', 'meeting_not_found', `no simulated meeting "${code}"`);
    return meeting;
  }

  dispose(): void {
    for (const m of this.meetings.values()) m.dispose();
  }
}

function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export type { Server };
