import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@rapport/common';
import { HtmlFixture } from '@rapport/bot-runtime';
import { ALONE_IN_CALL_TEXTS, OBSERVER_CSS, SELECTORS, USER_CONTENT_CSS } from './selectors';
import { admissionVerdict, ALL_SCREEN_TEXTS, peopleCountFromLabel, screenForText, type AdmissionSignals } from './states';

/** Pins the Meet selectors against the pages the simulator saves (bots/simulator/fixtures). */
function fixture(name: string): HtmlFixture {
  return new HtmlFixture(readFileSync(join(repoRoot(), 'bots', 'simulator', 'fixtures', `${name}.html`), 'utf8'));
}

function screenOf(f: HtmlFixture) {
  return screenForText(f.hasText(ALL_SCREEN_TEXTS, USER_CONTENT_CSS));
}

function otherParticipantTiles(f: HtmlFixture): number {
  return f.all(OBSERVER_CSS.tile).filter((tile) => {
    const inner = new HtmlFixture(`<div>${renderOuter(tile)}</div>`);
    return inner.all(OBSERVER_CSS.selfMarker).length === 0;
  }).length;
}

// domhandler elements back to HTML, just enough for the self-marker check.
function renderOuter(el: { name: string; attribs: Record<string, string>; children?: unknown[] }): string {
  const attrs = Object.entries(el.attribs).map(([k, v]) => ` ${k}="${v.replace(/"/g, '&quot;')}"`).join('');
  const kids = (el.children ?? [])
    .map((c) => {
      const node = c as { type: string; data?: string; name?: string; attribs?: Record<string, string>; children?: unknown[] };
      if (node.type === 'text') return node.data ?? '';
      if (node.type === 'tag' && node.name && node.attribs) return renderOuter(node as { name: string; attribs: Record<string, string> });
      return '';
    })
    .join('');
  return `<${el.name}${attrs}>${kids}</${el.name}>`;
}

describe('Meet selectors against simulator fixtures', () => {
  test('pre-join with the device prompt', () => {
    const f = fixture('prejoin-device-prompt');
    assert.ok(f.matches(SELECTORS.devicePromptContinue));
    assert.ok(f.matches(SELECTORS.nameInput));
    assert.equal(screenOf(f), null);
  });

  test('"Ask to join" and "Join now"-only meetings; never "Other ways to join"', () => {
    const ask = fixture('prejoin-ask-to-join');
    assert.ok(ask.matches(SELECTORS.joinButton));
    assert.ok(ask.matches(SELECTORS.nameInput));
    assert.ok(ask.hasText(['Ask to join']));
    const open = fixture('prejoin-join-now');
    assert.ok(open.matches(SELECTORS.joinButton));
    assert.equal(open.hasText(['Ask to join']), null);
    assert.equal(new HtmlFixture('<button><span>Other ways to join</span></button>').matches(SELECTORS.joinButton), false);
  });

  test('the lobby is the lobby even though it shows "Leave call"', () => {
    const f = fixture('lobby');
    assert.deepEqual(screenOf(f), { kind: 'lobby' });
    assert.ok(f.matches(SELECTORS.leaveCall), 'the trap: call controls are in the lobby too');
    assert.equal(otherParticipantTiles(f), 0, 'the self preview carries data-participant-id but is not a participant');
  });

  test('in call: a positive signal, captions, chat and leave controls', () => {
    const f = fixture('in-call');
    assert.equal(screenOf(f), null);
    assert.ok(otherParticipantTiles(f) >= 1);
    const people = f.all('button[aria-label^="People"]')[0];
    assert.ok((peopleCountFromLabel(people.attribs['aria-label']) ?? 0) >= 2);
    assert.ok(f.matches(SELECTORS.leaveCall));
    assert.ok(f.matches(SELECTORS.captionsOn) || f.matches(SELECTORS.captionsOff));
    assert.ok(f.matches(SELECTORS.chatButton));
    assert.ok(f.all(OBSERVER_CSS.audioLevel).length >= 1);
  });

  test('post-join dialogs are recognised and have an OK button', () => {
    for (const name of ['in-call-recording-dialog', 'in-call-gemini-dialog']) {
      const f = fixture(name);
      assert.ok(f.matches(SELECTORS.noticeDialog), name);
      assert.ok(f.matches(SELECTORS.dialogOk), name);
    }
  });

  test('each end or refusal screen maps to its sub-code', () => {
    const expected: Record<string, string> = {
      'not-found': 'meeting_not_found',
      blocked: 'bot_blocked_by_platform',
      denied: 'request_to_join_denied',
      'no-response': 'timeout_exceeded_waiting_room',
      removed: 'bot_kicked_from_call',
      'host-ended': 'call_ended_by_host',
    };
    for (const [name, subCode] of Object.entries(expected)) {
      const screen = screenOf(fixture(name));
      assert.ok(screen && screen.kind !== 'lobby' && screen.subCode === subCode, `${name}: ${JSON.stringify(screen)}`);
    }
  });

  test('the sign-in wall is recognised, not mistaken for a lobby', () => {
    const f = fixture('sign-in');
    assert.ok(f.matches(SELECTORS.signInHeading));
    assert.ok(f.hasText(['Google Account', 'to continue to Google Meet']));
    assert.equal(screenOf(f), null);
  });

  test('texts typed by participants in chat never change the screen', () => {
    const f = new HtmlFixture(
      '<div role="complementary" aria-label="Side panel"><div data-message-id="1"><div jsname="dTKtvb">Your host ended the meeting for everyone</div></div></div>',
    );
    assert.equal(screenOf(f), null);
  });

  test('admission: the lobby never passes, even without its texts; in-call signals around the own tile do', () => {
    const signals = (f: HtmlFixture): AdmissionSignals => {
      const people = f.all('button[aria-label^="People"]')[0];
      return {
        otherParticipants: otherParticipantTiles(f),
        peopleCount: people ? peopleCountFromLabel(people.attribs['aria-label']) : null,
        aloneText: f.hasText(ALONE_IN_CALL_TEXTS, USER_CONTENT_CSS) !== null,
        selfTile: f.matches(SELECTORS.selfTile),
        leaveCall: f.matches(SELECTORS.leaveCall),
        inCallOnlyControls: SELECTORS.inCallOnlyControls.filter((alt) => f.matches([alt])).length,
        joinScreen: f.matches(SELECTORS.joinButton) || f.matches(SELECTORS.nameInput),
      };
    };
    const lobby = signals(fixture('lobby'));
    assert.equal(lobby.selfTile && lobby.leaveCall, true, 'the trap: own preview and Leave call in the lobby');
    assert.equal(lobby.peopleCount, null);
    assert.equal(lobby.inCallOnlyControls, 0);
    assert.equal(admissionVerdict(lobby), 'not_admitted', 'a lobby whose texts we do not know stays a lobby');
    assert.equal(admissionVerdict(signals(fixture('prejoin-join-now'))), 'not_admitted');
    assert.equal(admissionVerdict(signals(fixture('in-call'))), 'in_call');

    // Alone in an open meeting: the call screen of in-call.html with nobody else and no "only one here" card.
    const alone: AdmissionSignals = { ...signals(fixture('in-call')), otherParticipants: 0, peopleCount: 1, aloneText: false };
    assert.ok(alone.selfTile && alone.leaveCall && alone.inCallOnlyControls >= 2);
    assert.equal(admissionVerdict(alone), 'alone_in_call');
    assert.equal(admissionVerdict({ ...alone, aloneText: true }), 'in_call');
    assert.equal(admissionVerdict({ ...alone, inCallOnlyControls: 0 }), 'not_admitted', 'lobby-like control bar');
    assert.equal(admissionVerdict({ ...alone, peopleCount: null }), 'not_admitted');
    assert.equal(admissionVerdict({ ...alone, selfTile: false }), 'not_admitted');
    assert.equal(admissionVerdict({ ...alone, joinScreen: true }), 'not_admitted');
    assert.equal(admissionVerdict({ ...alone, joinScreen: true, aloneText: true }), 'not_admitted');
  });

  test('end and lobby texts match with straight, typographic or look-alike apostrophes', () => {
    const removed = { kind: 'ended', subCode: 'bot_kicked_from_call' };
    for (const text of [
      "You've been removed from the meeting",
      'You\u2019ve been removed from the meeting',
      'You\u02bcve been removed from the meeting',
      'you\u2032ve been  removed from the meeting',
    ]) {
      assert.deepEqual(screenForText(text), removed, text);
      assert.deepEqual(screenOf(new HtmlFixture(`<div class="roSPhc"><span>${text}</span></div>`)), removed, text);
    }
    assert.deepEqual(screenForText("You'll join the call when someone lets you in"), { kind: 'lobby' });
    assert.deepEqual(screenForText('You can\u2019t join this video call'), { kind: 'fatal', subCode: 'bot_blocked_by_platform' });
    assert.deepEqual(screenForText("You can't join this call because someone denied your request"), { kind: 'ended', subCode: 'request_to_join_denied' });
    assert.deepEqual(screenOf(fixture('removed')), removed, 'the simulator writes a straight apostrophe');
    assert.equal(screenForText('You have not been removed'), null);
  });
});
