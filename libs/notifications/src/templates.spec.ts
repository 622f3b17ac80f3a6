import { test } from 'node:test';
import assert from 'node:assert/strict';
import { previousWeekStart } from './email-notifications';
import { digestHasNews, reportReadyEmail, weeklyDigestEmail } from './templates';

test('report ready: subject with title and score, link to the report, HTML escaped', () => {
  const m = reportReadyEmail({
    to: 'ada@example.com',
    name: 'Ada',
    meetingId: 'm-1',
    title: 'Q3 <planning> & "budget"',
    score: 72,
    topArea: 'filler_words',
    practiceModules: 2,
    publicUrl: 'https://rapport.example.com/',
  });
  assert.equal(m.to, 'ada@example.com');
  assert.equal(m.subject, 'Your report for “Q3 <planning> & "budget"” is ready: 72/100');
  assert.match(m.text, /^Hi Ada,/);
  assert.match(m.text, /To work on: Filler words\./);
  assert.match(m.text, /2 practice modules built from your own moments/);
  assert.match(m.text, /Open the report: https:\/\/rapport\.example\.com\/meeting\?id=m-1/);
  assert.match(m.html, /Q3 &lt;planning&gt; &amp; &quot;budget&quot;/);
  assert.ok(!m.html.includes('<planning>'));
  assert.match(m.html, /<a href="https:\/\/rapport\.example\.com\/meeting\?id=m-1">Open the report<\/a>/);
  const plain = reportReadyEmail({ to: 'x@example.com', name: null, meetingId: 'm', title: 'T', score: 90, topArea: null, practiceModules: 0, publicUrl: 'http://h' });
  assert.match(plain.text, /^Hi there,/);
  assert.ok(!/To work on|practice module/.test(plain.text));
});

test('weekly digest: counts, average with its trend, practice; nothing to report is not sent', () => {
  const s = { weekStart: '2026-11-16', meetings: 3, averageScore: 71.6, previousAverage: 68.2, topArea: 'pacing', practiceCompleted: 1, practiceOpen: 4 };
  const m = weeklyDigestEmail('ada@example.com', 'Ada', s, 'https://r.example');
  assert.equal(m.subject, 'Your week with Rapport: 3 meetings, average 72/100');
  assert.match(m.text, /3 analysed meetings, average score 72\/100 \(\+4 on the week before\)\./);
  assert.match(m.text, /Most frequent area to work on: Pacing\./);
  assert.match(m.text, /Practice: 1 module completed, 4 waiting\./);
  assert.match(m.text, /See your trends: https:\/\/r\.example\/trends/);
  assert.match(weeklyDigestEmail('a@b.c', null, { ...s, averageScore: 60, previousAverage: 65.4 }, 'x').text, /\(−5 on the week before\)/);
  assert.match(weeklyDigestEmail('a@b.c', null, { ...s, previousAverage: null }, 'x').text, /average score 72\/100\.\n/);
  const none = { weekStart: '2026-11-16', meetings: 0, averageScore: null, previousAverage: null, topArea: null, practiceCompleted: 0, practiceOpen: 0 };
  assert.equal(digestHasNews(none), false);
  assert.equal(digestHasNews({ ...none, practiceOpen: 1 }), true);
  assert.match(weeklyDigestEmail('a@b.c', null, { ...none, practiceOpen: 1 }, 'x').text, /No analysed meetings this week\./);
});

test('the digest sent on a Monday covers the Monday-to-Sunday week before (UTC)', () => {
  assert.equal(previousWeekStart(new Date('2026-11-23T08:00:00Z')), '2026-11-16'); // Monday
  assert.equal(previousWeekStart(new Date('2026-11-25T23:59:59Z')), '2026-11-16'); // Wednesday
  assert.equal(previousWeekStart(new Date('2026-11-29T12:00:00Z')), '2026-11-16'); // Sunday
  assert.equal(previousWeekStart(new Date('2026-01-05T00:00:00Z')), '2025-12-29'); // across a year
});
