import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type MeetingLinkSource,
  type ParsedMeetingLink,
  analyzeMeetingLink,
  decodeProofpointV3,
  extractMeetingLink,
  extractMeetingLinkDetailed,
  isAllowedPlatformUrl,
  parseMeetingLink,
  platformHosts,
  unwrapUrl,
} from '@rapport/meeting-links';

// Real-world shapes (field notes §3): IDs are made up, formats are not.
const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OID = 'a1b2c3d4-e5f6-7890-abcd-ef1234567890';
const THREAD = '19:meeting_NjQ5ZDBkMzYtZTk2Ni00ODU0LWI0ZjEtZDVkYTk3ZWI2ZjYw@thread.v2';
const THREAD_ENC = '19%3ameeting_NjQ5ZDBkMzYtZTk2Ni00ODU0LWI0ZjEtZDVkYTk3ZWI2ZjYw%40thread.v2';
const CONTEXT_ENC = `%7b%22Tid%22%3a%22${TID}%22%2c%22Oid%22%3a%22${OID}%22%7d`;
const TEAMS_CLASSIC = `https://teams.microsoft.com/l/meetup-join/${THREAD_ENC}/0?context=${CONTEXT_ENC}`;
const TEAMS_SHORT = 'https://teams.microsoft.com/meet/2345678901234?p=AbCdEfGhIjKlMnOp';
const SAFE = (u: string) =>
  `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(u)}&data=05%7C02%7Cjane%40contoso.com%7C1c2d%7C72f988bf%7C0%7C0%7C638700000000000000%7CUnknown&sdata=AbC%2Fd%3D&reserved=0`;
const GREDIRECT = (u: string) => `https://www.google.com/url?q=${encodeURIComponent(u)}&sa=D&source=calendar&ust=1732500000000000&usg=AOvVaw0abc`;
const PP_V2 = (u: string) =>
  `https://urldefense.proofpoint.com/v2/url?u=${encodeURIComponent(u).replace(/%/g, '-').replace(/\//g, '_')}&d=DwMFaQ&c=euGZstcaTDllvimEN8b7jXrwqOf-v5A_CdpgnVfiiMM&r=abc&m=def&s=ghi&e=`;

type Expect = Pick<ParsedMeetingLink, 'platform' | 'meetingId'> & Partial<ParsedMeetingLink>;

const zoom = (meetingId: string, url?: string): Expect => ({ platform: 'zoom', meetingId, dedupeKey: `zoom:${meetingId}`, ...(url ? { url } : {}) });
const meet = (code: string): Expect => ({ platform: 'google_meet', meetingId: code, url: `https://meet.google.com/${code}`, dedupeKey: `meet:${code}` });
const teams = (meetingId: string, url?: string): Expect => ({
  platform: 'microsoft_teams',
  meetingId,
  dedupeKey: meetingId.startsWith('19:') ? `teams:${meetingId}` : `teams:meet:${meetingId}`,
  ...(url ? { url } : {}),
});

function assertLink(actual: ParsedMeetingLink | null, expected: Expect | null, label: string): void {
  if (expected === null) {
    assert.equal(actual, null, `${label}: expected no meeting link, got ${JSON.stringify(actual)}`);
    return;
  }
  assert.ok(actual, `${label}: expected ${expected.platform} link, got null`);
  for (const [k, v] of Object.entries(expected)) {
    assert.equal(actual[k as keyof ParsedMeetingLink], v, `${label}: ${k}`);
  }
}

// --------------------------------------------------------------------------- single URLs
const URL_CASES: Array<[string, string, Expect | null]> = [
  // Zoom
  ['zoom plain /j/', 'https://zoom.us/j/98765432101', zoom('98765432101', 'https://zoom.us/j/98765432101')],
  ['zoom company subdomain with pwd', 'https://acme.zoom.us/j/81234567890?pwd=QJGa04AbCdEfGhIjKlMnOpQrStUv.1', zoom('81234567890', 'https://acme.zoom.us/j/81234567890?pwd=QJGa04AbCdEfGhIjKlMnOpQrStUv.1')],
  ['zoom region subdomain, extra params dropped', 'https://us02web.zoom.us/j/81234567890?pwd=abc123&jst=2&uname=Jane&from=addon', zoom('81234567890', 'https://us02web.zoom.us/j/81234567890?pwd=abc123')],
  ['zoom.com subdomain', 'https://us06web.zoom.com/j/9876543210?pwd=XyZ', zoom('9876543210', 'https://us06web.zoom.com/j/9876543210?pwd=XyZ')],
  ['zoom webinar with tk and pwd', 'https://zoom.com/w/91234567890?tk=Ab_cd-EF.gh&pwd=zzz', zoom('91234567890', 'https://zoom.com/w/91234567890?pwd=zzz&tk=Ab_cd-EF.gh')],
  ['zoom web client /wc/<id>/join', 'https://app.zoom.us/wc/81234567890/join?fromPWA=1&pwd=abc', zoom('81234567890', 'https://app.zoom.us/j/81234567890?pwd=abc')],
  ['zoom web client /wc/join/<id>', 'https://zoom.us/wc/join/81234567890', zoom('81234567890', 'https://zoom.us/j/81234567890')],
  ['zoom start link → join link, zak dropped', 'https://zoom.us/s/81234567890?zak=eyJ0eXAiOiJKV1Qi', zoom('81234567890', 'https://zoom.us/j/81234567890')],
  ['zoomgov', 'https://agency.zoomgov.com/j/1612345678?pwd=Gov1', zoom('1612345678', 'https://agency.zoomgov.com/j/1612345678?pwd=Gov1')],
  ['zoom pwd with trailing junk', 'https://zoom.us/j/81234567890?pwd=abc123>', zoom('81234567890', 'https://zoom.us/j/81234567890?pwd=abc123')],
  ['zoom deep link zoommtg://', 'zoommtg://zoom.us/join?action=join&confno=81234567890&pwd=abc', zoom('81234567890', 'https://zoom.us/j/81234567890?pwd=abc')],
  ['zoom uppercase host', 'HTTPS://ACME.ZOOM.US/j/81234567890', zoom('81234567890', 'https://acme.zoom.us/j/81234567890')],
  ['zoom /j/test is not a meeting', 'https://zoom.us/j/test', null],
  ['zoom 8-digit id rejected', 'https://zoom.us/j/12345678', null],
  ['zoom personal /my/ link rejected', 'https://acme.zoom.us/my/jane.doe', null],
  ['zoom pricing page', 'https://zoom.us/pricing', null],
  ['zoom events page', 'https://events.zoom.us/ejl/AbCdEf/landing', null],
  ['zoom.us.attacker.io spoof', 'https://zoom.us.attacker.io/j/81234567890?pwd=abc', null],
  ['zoom-lookalike registrable domain', 'https://zoom-us.com/j/81234567890', null],
  ['white-label zoom portal not matched by substring', 'https://zoom-lfx.platform.linuxfoundation.org/meeting/91234567890?password=x', null],
  ['zoom userinfo trick', 'https://zoom.us@evil.com/j/81234567890', null],
  ['zoom open redirect param refused', 'https://zoom.us/j/81234567890?next=https://evil.com/x', null],
  ['zoom non-default port refused', 'https://zoom.us:8443/j/81234567890', null],
  // Google Meet
  ['meet plain', 'https://meet.google.com/abc-defg-hij', meet('abc-defg-hij')],
  ['meet with authuser/hs params', 'https://meet.google.com/abc-defg-hij?authuser=0&hs=122', meet('abc-defg-hij')],
  ['meet uppercase code', 'https://meet.google.com/ABC-DEFG-HIJ?pli=1', meet('abc-defg-hij')],
  ['meet PWA path', 'https://meet.google.com/_meet/xyz-abcd-efg?ijlm=1', meet('xyz-abcd-efg')],
  ['meet code without dashes', 'https://meet.google.com/abcdefghij', meet('abc-defg-hij')],
  ['meet landing page', 'https://meet.google.com/landing', null],
  ['meet new', 'https://meet.google.com/new', null],
  ['meet lookup link (no code)', 'https://meet.google.com/lookup/ab3cdefghi', null],
  ['meet wrong shape 3-3-3', 'https://meet.google.com/abc-def-ghi', null],
  ['meet spoof meet.google.com.evil.com', 'https://meet.google.com.evil.com/abc-defg-hij', null],
  ['meet code in query of evil host', 'https://evil.com/?meet.google.com/abc-defg-hij', null],
  ['meet on other google host', 'https://hangouts.google.com/abc-defg-hij', null],
  ['g.co/meet nickname', 'https://g.co/meet/team-standup', null],
  ['meet over http upgraded to https canonical', 'http://meet.google.com/abc-defg-hij', meet('abc-defg-hij')],
  // Microsoft Teams
  ['teams classic meetup-join (URL kept verbatim)', TEAMS_CLASSIC, teams(THREAD, TEAMS_CLASSIC)],
  ['teams classic with trailing >', `${TEAMS_CLASSIC}>`, teams(THREAD, TEAMS_CLASSIC)],
  ['teams classic with raw JSON context', `https://teams.microsoft.com/l/meetup-join/${THREAD}/0?context={"Tid":"${TID}","Oid":"${OID}"}`, teams(THREAD)],
  ['teams short /meet/ link', TEAMS_SHORT, teams('2345678901234', TEAMS_SHORT)],
  ['teams short link trailing > stripped', `${TEAMS_SHORT}>`, teams('2345678901234', TEAMS_SHORT)],
  ['teams over http: only the scheme is upgraded', TEAMS_SHORT.replace('https:', 'http:'), teams('2345678901234', TEAMS_SHORT)],
  ['teams.live.com personal', 'https://teams.live.com/meet/9876543210987?p=Zx9Yw8', teams('9876543210987', 'https://teams.live.com/meet/9876543210987?p=Zx9Yw8')],
  ['teams.cloud.microsoft', 'https://teams.cloud.microsoft/meet/2345678901234?p=AbC', teams('2345678901234', 'https://teams.cloud.microsoft/meet/2345678901234?p=AbC')],
  ['teams GCC High', `https://gov.teams.microsoft.us/l/meetup-join/${THREAD_ENC}/0?context=${CONTEXT_ENC}`, teams(THREAD)],
  ['teams v2 fragment route', `https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/${THREAD_ENC}/0?context=${CONTEXT_ENC}&anon=true`, teams(THREAD)],
  [
    'teams launcher unwrapped to the page it launches',
    `https://teams.microsoft.com/dl/launcher/launcher.html?url=${encodeURIComponent(`/_#/l/meetup-join/${THREAD_ENC}/0?context=${CONTEXT_ENC}&anon=true`)}&type=meetup-join&deeplinkId=abc&directDl=true&msLaunch=true&enableMobilePage=true&suppressPrompt=true`,
    teams(THREAD, `https://teams.microsoft.com/_#/l/meetup-join/${THREAD_ENC}/0?context=${CONTEXT_ENC}&anon=true`),
  ],
  [
    'teams light-meetings coords',
    `https://teams.microsoft.com/light-meetings/launch?agent=web&version=24010000000&coords=${Buffer.from(JSON.stringify({ conversationId: THREAD, tenantId: TID, organizerId: OID, messageId: '0' })).toString('base64')}`,
    teams(THREAD),
  ],
  ['teams double-encoded thread id', `https://teams.microsoft.com/l/meetup-join/19%253ameeting_NjQ5ZDBkMzYtZTk2Ni00ODU0LWI0ZjEtZDVkYTk3ZWI2ZjYw%2540thread.v2/0?context=${CONTEXT_ENC}`, teams(THREAD)],
  ['teams channel meeting (tacv2)', `https://teams.microsoft.com/l/meetup-join/19%3a3b5f0a0b1c2d4e5f@thread.tacv2/1700000000000?context=${CONTEXT_ENC}`, teams('19:3b5f0a0b1c2d4e5f@thread.tacv2')],
  ['teams.live.com meetup-join with invalid context', `https://teams.live.com/l/meetup-join/${THREAD_ENC}/0?context=xyz`, null],
  ['teams meetup-join without context', `https://teams.microsoft.com/l/meetup-join/${THREAD_ENC}/0`, null],
  ['teams meetup-join bogus thread', `https://teams.microsoft.com/l/meetup-join/hello/0?context=${CONTEXT_ENC}`, null],
  ['teams chat deep link is not a meeting', 'https://teams.microsoft.com/l/chat/0/0?users=jane@contoso.com', null],
  ['teams home page', 'https://teams.microsoft.com/', null],
  ['teams spoof teams.microsoft.com.evil.io', `https://teams.microsoft.com.evil.io/l/meetup-join/${THREAD_ENC}/0?context=${CONTEXT_ENC}`, null],
  ['teams on other microsoft host', 'https://www.microsoft.com/meet/2345678901234?p=x', null],
  // Wrappers
  ['safe links around zoom', SAFE('https://acme.zoom.us/j/81234567890?pwd=abc123'), zoom('81234567890', 'https://acme.zoom.us/j/81234567890?pwd=abc123')],
  ['safe links around teams classic (kept verbatim)', SAFE(TEAMS_CLASSIC), teams(THREAD, TEAMS_CLASSIC)],
  ['google redirect around meet', GREDIRECT('https://meet.google.com/abc-defg-hij'), meet('abc-defg-hij')],
  ['proofpoint v2 around zoom', PP_V2('https://zoom.us/j/81234567890?pwd=abcDEF123'), zoom('81234567890', 'https://zoom.us/j/81234567890?pwd=abcDEF123')],
  ['proofpoint v3 around zoom, * token', 'https://urldefense.com/v3/__https://zoom.us/j/81234567890*pwd=abcDEF123__;Pw!!ACWV5N9M2RV99hQ!Lx0ab$', zoom('81234567890', 'https://zoom.us/j/81234567890?pwd=abcDEF123')],
  ['proofpoint v3 around meet', 'https://urldefense.com/v3/__https://meet.google.com/abc-defg-hij__;!!ACWV5N9M2RV99hQ!Lx0ab$', meet('abc-defg-hij')],
  ['safe links around proofpoint v2 around teams short', SAFE(PP_V2(TEAMS_SHORT)), teams('2345678901234', TEAMS_SHORT)],
  ['safe links around a non-meeting', SAFE('https://contoso.sharepoint.com/sites/x'), null],
  ['fake safelinks host', `https://safelinks.protection.outlook.com.attacker.io/?url=${encodeURIComponent('https://zoom.us/j/81234567890')}`, null],
  ['google redirect to evil', GREDIRECT('https://evil.com/?meet.google.com/abc-defg-hij'), null],
  ['percent-encoded whole URL', encodeURIComponent('https://zoom.us/j/81234567890?pwd=abc'), zoom('81234567890', 'https://zoom.us/j/81234567890?pwd=abc')],
  ['HTML-entity query separator', 'https://us02web.zoom.us/j/81234567890?jst=2&amp;pwd=abc123', zoom('81234567890', 'https://us02web.zoom.us/j/81234567890?pwd=abc123')],
  ['javascript: URL', 'javascript:alert(1)//meet.google.com/abc-defg-hij', null],
  ['not a URL at all', 'see you there', null],
];

describe('parseMeetingLink: single URLs', () => {
  for (const [label, input, expected] of URL_CASES) {
    test(label, () => assertLink(parseMeetingLink(input), expected, label));
  }
  test('the table is wide', () => assert.ok(URL_CASES.length >= 60, `${URL_CASES.length} cases`));
});

// --------------------------------------------------------------------------- invitation texts and events
const GOOGLE_DESCRIPTION_ZOOM = `<p>Hi team,</p><p>Weekly sync.</p><br>──────────<br><br>Jane Doe is inviting you to a scheduled Zoom meeting.<br><br>Join Zoom Meeting<br><a href="${GREDIRECT('https://acme.zoom.us/j/81234567890?pwd=QJGa04Ab.1')}">https://acme.zoom.us/j/81234567890?pwd=QJGa04Ab.1</a><br><br>Meeting ID: 812 3456 7890<br>Passcode: 123456<br><br>One tap mobile<br>+16469313860,,81234567890#,,,,*123456# US<br>──────────`;

const OUTLOOK_TEAMS_BODY = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div><div style="width:100%"><span style="white-space:nowrap;color:#5F5F5F;opacity:.36">________________________________________________________________________________</span></div><div class="me-email-text" lang="en-US" style="color:#252424;font-family:'Segoe UI'"><div style="margin-top:24px;margin-bottom:20px"><span style="font-size:24px;color:#252424">Microsoft Teams meeting</span></div><div style="margin-bottom:20px"><div style="margin-top:0px;margin-bottom:0px;font-weight:bold"><span style="font-size:14px;color:#252424">Join on your computer, mobile app or room device</span></div><a class="me-email-headline" href="${SAFE(TEAMS_CLASSIC).replace(/&/g, '&amp;')}" target="_blank" rel="noreferrer noopener" style="font-size:14px;text-decoration:underline;color:#6264a7">Click here to join the meeting</a></div><div style="margin-bottom:20px;margin-top:20px"><span style="font-size:14px;color:#252424">Meeting ID: </span><span style="font-size:16px;color:#252424">234 567 890 123</span></div></div></div><a href="https://aka.ms/JoinTeamsMeeting?omkt=en-US">Learn More</a> | <a href="${SAFE('https://teams.microsoft.com/meetingOptions/?organizerId=x&tenantId=y')}">Meeting options</a></body></html>`;

const OUTLOOK_TEAMS_SHORT_BODY = `<html><body><div>Microsoft Teams <a href="https://aka.ms/JoinTeamsMeeting?omkt=en-US">Need help?</a></div><div><a href="${TEAMS_SHORT.replace(/&/g, '&amp;')}">Join the meeting now</a></div><div>Meeting ID: 234 567 890 123 4</div><div>Passcode: Ab3Cd4</div><div>Dial in by phone</div><div><a href="tel:+14255550100,,123456789#">+1 425-555-0100,,123456789#</a></div></body></html>`;

const PLAIN_TEXT_TEAMS = `________________________________________________________________________________
Microsoft Teams meeting
Join on your computer, mobile app or room device
Click here to join the meeting<${TEAMS_CLASSIC}>
Meeting ID: 234 567 890 123
Passcode: Ab3Cd4
Learn More<https://aka.ms/JoinTeamsMeeting> | Meeting options<https://teams.microsoft.com/meetingOptions/?organizerId=${OID}>
________________________________________________________________________________`;

const ZOOM_INVITATION_TEXT = `Jane Doe is inviting you to a scheduled Zoom meeting.

Topic: Q3 planning
Time: Nov 26, 2026 10:00 AM Pacific Time (US and Canada)

Join Zoom Meeting
https://us02web.zoom.us/j/81234567890?pwd=bXlQYXNzY29kZTEyMw.1

Meeting ID: 812 3456 7890
Passcode: 482915

---

One tap mobile
+16699009128,,81234567890#,,,,*482915# US (San Jose)

Join by SIP
81234567890@zoomcrc.com`;

const GOOGLE_MEET_DESCRIPTION = `-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-<br>Join with Google Meet: <a href="https://meet.google.com/abc-defg-hij?hs=224">https://meet.google.com/abc-defg-hij</a><br>Or dial: (US) +1 401-555-0143 PIN: 123456789#<br>More phone numbers: <a href="https://tel.meet/abc-defg-hij?pin=123456789">https://tel.meet/abc-defg-hij?pin=123456789</a><br><br>Learn more about Meet at: <a href="https://support.google.com/a/users/answer/9282720">https://support.google.com/a/users/answer/9282720</a><br><br>Please do not edit this section.<br>-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-`;

interface TextCase {
  label: string;
  input: MeetingLinkSource | string;
  expected: Expect | null;
}

const TEXT_CASES: TextCase[] = [
  { label: 'Google Calendar description with Zoom invitation (google redirect href)', input: { description: GOOGLE_DESCRIPTION_ZOOM }, expected: zoom('81234567890', 'https://acme.zoom.us/j/81234567890?pwd=QJGa04Ab.1') },
  { label: 'Outlook HTML body with Safe-Linked Teams join', input: { body: OUTLOOK_TEAMS_BODY }, expected: teams(THREAD, TEAMS_CLASSIC) },
  { label: 'Outlook HTML body with new Teams short link', input: { body: OUTLOOK_TEAMS_SHORT_BODY }, expected: teams('2345678901234', TEAMS_SHORT) },
  { label: 'Outlook plain-text Teams body (label<url>)', input: { body: PLAIN_TEXT_TEAMS }, expected: teams(THREAD, TEAMS_CLASSIC) },
  { label: 'Zoom invitation text with passcode', input: ZOOM_INVITATION_TEXT, expected: zoom('81234567890', 'https://us02web.zoom.us/j/81234567890?pwd=bXlQYXNzY29kZTEyMw.1') },
  { label: 'Google Meet description block', input: { description: GOOGLE_MEET_DESCRIPTION }, expected: meet('abc-defg-hij') },
  {
    label: 'conferenceData video entry point wins over description',
    input: {
      conferenceData: { entryPoints: [{ entryPointType: 'phone', uri: 'tel:+1-401-555-0143' }, { entryPointType: 'video', uri: 'https://meet.google.com/xyz-abcd-efg' }] },
      description: ZOOM_INVITATION_TEXT,
    },
    expected: meet('xyz-abcd-efg'),
  },
  {
    label: 'Zoom add-on conferenceData (video entry point is Zoom)',
    input: {
      conferenceData: {
        entryPoints: [
          { entryPointType: 'video', uri: 'https://acme.zoom.us/j/81234567890?pwd=abc.1&jst=2' },
          { entryPointType: 'more', uri: 'https://acme.zoom.us/u/abcd1234' },
        ],
        notes: 'Meeting host: jane@acme.com<br><br>Join Zoom Meeting: <br>https://acme.zoom.us/j/81234567890?pwd=abc.1&jst=2',
      },
    },
    expected: zoom('81234567890', 'https://acme.zoom.us/j/81234567890?pwd=abc.1'),
  },
  { label: 'hangoutLink only', input: { hangoutLink: 'https://meet.google.com/abc-defg-hij' }, expected: meet('abc-defg-hij') },
  { label: 'Graph onlineMeeting.joinUrl beats a Zoom link in the body', input: { onlineMeetingJoinUrl: TEAMS_CLASSIC, body: ZOOM_INVITATION_TEXT }, expected: teams(THREAD, TEAMS_CLASSIC) },
  { label: 'Zoom link in location', input: { location: 'https://zoom.us/j/81234567890?pwd=abc', description: 'Agenda: roadmap' }, expected: zoom('81234567890') },
  { label: 'scheme-less Zoom link in location', input: { location: 'Room 4 / zoom.us/j/81234567890' }, expected: zoom('81234567890', 'https://zoom.us/j/81234567890') },
  { label: 'scheme-less Meet link in location', input: { location: 'meet.google.com/abc-defg-hij' }, expected: meet('abc-defg-hij') },
  { label: 'Meet link in subject only', input: { subject: '1:1 https://meet.google.com/abc-defg-hij', description: 'no link here' }, expected: meet('abc-defg-hij') },
  { label: 'Meet link in parentheses in prose', input: 'Join us (https://meet.google.com/abc-defg-hij).', expected: meet('abc-defg-hij') },
  { label: 'Teams link followed by comma', input: `Join here: ${TEAMS_SHORT}, thanks`, expected: teams('2345678901234', TEAMS_SHORT) },
  { label: 'Proofpoint-wrapped Zoom link in forwarded mail text', input: `---- Forwarded ----\nJoin: ${PP_V2('https://zoom.us/j/81234567890?pwd=abcDEF123')}\n`, expected: zoom('81234567890', 'https://zoom.us/j/81234567890?pwd=abcDEF123') },
  { label: 'Proofpoint v3 wrapped Teams short link', input: `Join <https://urldefense.com/v3/__https://teams.microsoft.com/meet/2345678901234*p=AbCdEfGhIjKlMnOp__;Pw!!ACWV5N9M2RV99hQ!Lx0ab$>`, expected: teams('2345678901234', TEAMS_SHORT) },
  { label: 'Teams raw-JSON context in plain text', input: `Join: https://teams.microsoft.com/l/meetup-join/${THREAD}/0?context={"Tid":"${TID}","Oid":"${OID}"} today`, expected: teams(THREAD) },
  { label: 'spoofed host first, real link second', input: 'Fake: https://meet.google.com.evil.com/abc-defg-hij real: https://meet.google.com/xyz-abcd-efg', expected: meet('xyz-abcd-efg') },
  { label: 'spoofed Zoom only', input: 'Join https://zoom.us.attacker.io/j/81234567890?pwd=abc now', expected: null },
  { label: 'Meet code smuggled in a query string', input: 'https://evil.com/?meet.google.com/abc-defg-hij', expected: null },
  { label: 'non-meeting links only', input: { description: 'See https://zoom.us/pricing and https://meet.google.com/landing and https://teams.microsoft.com/' }, expected: null },
  { label: 'HTML with anchor text differing from href (href wins)', input: { description: '<a href="https://meet.google.com/abc-defg-hij">https://meet.google.com/zzz-zzzz-zzz</a>' }, expected: meet('abc-defg-hij') },
  { label: 'HTML entities in visible text', input: { description: '<p>Join: https://us02web.zoom.us/j/81234567890?jst=2&amp;pwd=abc123</p>' }, expected: zoom('81234567890', 'https://us02web.zoom.us/j/81234567890?pwd=abc123') },
  { label: 'Zoom personal link only', input: 'My room: https://acme.zoom.us/my/jane.doe', expected: null },
  { label: 'Meet lookup link only', input: 'Class: https://meet.google.com/lookup/ab3cdefghi', expected: null },
  { label: 'empty event', input: {}, expected: null },
  { label: 'dial-in only', input: { description: 'Dial +1 415 555 0100, PIN 1234#' }, expected: null },
];

describe('extractMeetingLink: invitation texts and calendar events', () => {
  for (const { label, input, expected } of TEXT_CASES) {
    test(label, () => assertLink(extractMeetingLink(input), expected, label));
  }
});

describe('extraction details', () => {
  test('reports the field the link came from and other meetings found', () => {
    const result = extractMeetingLinkDetailed({
      hangoutLink: 'https://meet.google.com/abc-defg-hij',
      description: `Also on Zoom: https://zoom.us/j/81234567890 and again https://meet.google.com/abc-defg-hij`,
    });
    assert.equal(result.field, 'hangoutLink');
    assert.deepEqual(result.others.map((o) => o.dedupeKey), ['zoom:81234567890']);
  });

  test('explains rejected candidates', () => {
    const result = extractMeetingLinkDetailed('Join https://acme.zoom.us/my/jane.doe or https://meet.google.com.evil.com/abc-defg-hij');
    assert.equal(result.link, null);
    assert.deepEqual(
      result.rejected.map((r) => r.reason),
      ['zoom_personal_link_unresolvable', 'not_a_meeting_host'],
    );
  });

  test('the same meeting through different wrappers dedupes to one key', () => {
    const keys = new Set(
      [TEAMS_CLASSIC, SAFE(TEAMS_CLASSIC), `https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/${THREAD_ENC}/0?context=${CONTEXT_ENC}`].map(
        (u) => parseMeetingLink(u)?.dedupeKey,
      ),
    );
    assert.deepEqual([...keys], [`teams:${THREAD}`]);
  });

  test('analyzeMeetingLink gives a reason per refusal', () => {
    const cases: Array<[string, string]> = [
      ['https://evil.com/j/81234567890', 'not_a_meeting_host'],
      ['https://zoom.us/pricing', 'not_a_meeting_path'],
      ['https://zoom.us/j/123', 'zoom_meeting_number_invalid'],
      ['https://meet.google.com/lookup/abc', 'meet_code_unavailable'],
      [`https://teams.microsoft.com/l/meetup-join/${THREAD_ENC}/0?context=xyz`, 'teams_context_invalid'],
      ['ftp://zoom.us/j/81234567890', 'unsupported_scheme'],
      ['https://user:pw@zoom.us/j/81234567890', 'credentials_or_port_in_url'],
      ['https://zoom.us/j/81234567890?u=https%3A%2F%2Fevil.com', 'embedded_url'],
    ];
    for (const [url, reason] of cases) {
      const r = analyzeMeetingLink(url);
      assert.equal(r.ok, false, url);
      if (!r.ok) assert.equal(r.reason, reason, url);
    }
  });
});

describe('wrapper decoding', () => {
  test('unwrapUrl peels nested wrappers and counts them', () => {
    const inner = 'https://zoom.us/j/81234567890?pwd=abc';
    assert.deepEqual(unwrapUrl(SAFE(GREDIRECT(inner))), { url: inner, layers: 2 });
    assert.deepEqual(unwrapUrl(inner), { url: inner, layers: 0 });
  });

  test('Proofpoint v3 run-length tokens', () => {
    // `**A` = a run of 2 characters from the encoded bytes ("?p" here), then `*` = one more ("=").
    const bytes = Buffer.from('?p=').toString('base64url');
    const wrapped = `https://urldefense.com/v3/__https://teams.microsoft.com/meet/2345678901234**AAbCd__;${bytes}!!sig$`;
    assert.equal(decodeProofpointV3(wrapped), 'https://teams.microsoft.com/meet/2345678901234?pAbCd');
    const wrapped2 = `https://urldefense.com/v3/__https://teams.microsoft.com/meet/2345678901234**A*AbCd__;${bytes}!!sig$`;
    assert.equal(decodeProofpointV3(wrapped2), 'https://teams.microsoft.com/meet/2345678901234?p=AbCd');
  });
});

describe('platform host allow-list (bots refuse to navigate elsewhere)', () => {
  const cases: Array<[Parameters<typeof isAllowedPlatformUrl>[0], string, boolean]> = [
    ['zoom', 'https://app.zoom.us/wc/81234567890/join', true],
    ['zoom', 'https://acme.zoom.us/j/1', true],
    ['zoom', 'https://zoomgov.com/j/1', true],
    ['zoom', 'https://zoom.us.attacker.io/', false],
    ['zoom', 'http://zoom.us/j/81234567890', false],
    ['zoom', 'https://meet.google.com/abc-defg-hij', false],
    ['google_meet', 'https://meet.google.com/abc-defg-hij', true],
    ['google_meet', 'https://accounts.google.com/ServiceLogin', false],
    ['google_meet', 'https://meet.google.com.evil.com/abc-defg-hij', false],
    ['google_meet', 'https://meet.google.com:444/abc-defg-hij', false],
    ['microsoft_teams', 'https://teams.microsoft.com/v2/', true],
    ['microsoft_teams', 'https://teams.live.com/meet/1', true],
    ['microsoft_teams', 'https://teams.cloud.microsoft/meet/1', true],
    ['microsoft_teams', 'https://gov.teams.microsoft.us/', true],
    ['microsoft_teams', 'https://login.microsoftonline.com/common', false],
    ['microsoft_teams', 'not a url', false],
  ];
  for (const [platform, url, allowed] of cases) {
    test(`${platform} ${allowed ? 'allows' : 'refuses'} ${url}`, () => assert.equal(isAllowedPlatformUrl(platform, url), allowed));
  }

  test('platformHosts lists exact hosts and wildcard subdomains', () => {
    assert.deepEqual(platformHosts('google_meet'), ['meet.google.com']);
    assert.ok(platformHosts('zoom').includes('*.zoom.us'));
    assert.ok(platformHosts('microsoft_teams').includes('teams.cloud.microsoft'));
  });
});
