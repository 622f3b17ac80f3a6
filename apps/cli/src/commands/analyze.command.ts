import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '@rapport/common';
import { analyzeTranscript, buildPracticeModules, parseTranscript } from '@rapport/analytics';

/** Reads and parses the JSON file; every failure is the caller's (exit 2), never a stack trace. */
function readJson(file: string): unknown {
  let raw: string;
  try {
    raw = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : String(err);
    throw new AppError('bad_request', 'file_unreadable', `FILE: cannot read "${file}" (${reason})`);
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError('bad_request', 'invalid_json', `FILE: "${file}" is not valid JSON (${reason})`);
  }
}

/**
 * `rapport analyze FILE`: the communication analysis of a transcript JSON file (see
 * docs/metrics.md for the input format) as JSON on stdout. No database needed.
 */
export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('Analyse a transcript JSON file: meeting metrics and per-speaker score, areas, recommendations')
    .argument('<file>', 'transcript JSON ({ durationSec?, speakers: [{id, name}], utterances: [...] }); "-" for stdin')
    .option('--practice', 'also generate practice modules for each speaker (practiceModules)')
    .option('--compact', 'print the JSON on one line')
    .action((file: string, opts: { practice?: boolean; compact?: boolean }) => {
      const transcript = parseTranscript(readJson(file));
      const analysis = analyzeTranscript(transcript);
      const output = opts.practice
        ? {
            meeting: analysis.meeting,
            speakers: analysis.speakers.map((s) => ({ ...s, practiceModules: buildPracticeModules(s, transcript) })),
          }
        : analysis;
      process.stdout.write(`${JSON.stringify(output, null, opts.compact ? undefined : 2)}\n`);
    });
}
