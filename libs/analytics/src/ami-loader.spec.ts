import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@rapport/common';
import { amiToTranscript } from '@rapport/analytics';

/** The AMI → transcript mapping on a tiny hand-written meeting in the corpus' NXT format. */

const meetingsXml = `<?xml version="1.0" encoding="ISO-8859-1"?>
<nite:root xmlns:nite="http://nite.sourceforge.net/">
  <meeting nite:id="m1" observation="XX0001a" duration="60">
    <speaker nite:id="s2" nxt_agent="B" global_name="FEE002" role="ID"/>
    <speaker nite:id="s1" nxt_agent="A" global_name="MEE001" role="PM"/>
  </meeting>
</nite:root>`;

const wordsA = `<?xml version="1.0" encoding="ISO-8859-1"?>
<nite:root nite:id="XX0001a.A.words" xmlns:nite="http://nite.sourceforge.net/">
  <w nite:id="a0" starttime="1.0" endtime="1.4">Okay</w>
  <w nite:id="a1" starttime="1.4" endtime="1.4" punc="true">.</w>
  <w nite:id="a2" starttime="1.5" endtime="1.9">Shall</w>
  <disfmarker nite:id="a3" starttime="1.9" endtime="1.9"/>
  <w nite:id="a4">we</w>
  <w nite:id="a5" starttime="2.0" endtime="2.3">watch</w>
  <w nite:id="a6" starttime="2.3" endtime="2.7">T_V_s</w>
  <w nite:id="a7" starttime="2.7" endtime="2.7" punc="true">?</w>
  <vocalsound nite:id="a8" starttime="5" endtime="6" type="laugh"/>
</nite:root>`;
const segmentsA = `<?xml version="1.0" encoding="ISO-8859-1"?>
<nite:root xmlns:nite="http://nite.sourceforge.net/">
  <segment nite:id="sA1" transcriber_start="0.9" transcriber_end="3.0">
    <nite:child href="XX0001a.A.words.xml#id(a0)..id(a7)"/>
  </segment>
  <segment nite:id="sA2" transcriber_start="4.9" transcriber_end="6.1">
    <nite:child href="XX0001a.A.words.xml#id(a8)"/>
  </segment>
</nite:root>`;
const wordsB = `<?xml version="1.0"?>
<nite:root xmlns:nite="http://nite.sourceforge.net/">
  <w nite:id="b0" starttime="3.1" endtime="3.5">I&#39;m</w>
  <w nite:id="b1" starttime="3.5" endtime="3.8">in</w>
</nite:root>`;
const segmentsB = `<?xml version="1.0"?>
<nite:root xmlns:nite="http://nite.sourceforge.net/">
  <segment nite:id="sB1"><nite:child href="XX0001a.B.words.xml#id(b0)..id(b1)"/></segment>
</nite:root>`;

const files = { meetingsXml, words: { A: wordsA, B: wordsB }, segments: { A: segmentsA, B: segmentsB } };

describe('amiToTranscript', () => {
  test('one utterance per segment, word-aligned, punctuation attached, untimed words and laughs dropped', () => {
    const t = amiToTranscript('XX0001a', files);
    assert.equal(t.durationSec, 60);
    assert.deepEqual(t.speakers, [
      { id: 'A', name: 'MEE001', role: 'facilitator' },
      { id: 'B', name: 'FEE002', role: 'participant' },
    ]);
    assert.deepEqual(
      t.utterances.map((u) => [u.speaker, u.start, u.end, u.text]),
      [
        ['A', 1, 2.7, 'Okay. Shall watch TVs?'],
        ['B', 3.1, 3.8, "I'm in"],
      ],
    );
    assert.deepEqual(t.utterances[0].words?.map((w) => w.text), ['Okay', 'Shall', 'watch', 'TVs']);
  });

  test('unknown meeting and missing files are bad requests', () => {
    assert.throws(() => amiToTranscript('XX9999z', files), (e: unknown) => e instanceof AppError && e.code === 'ami_unknown_meeting');
    assert.throws(
      () => amiToTranscript('XX0001a', { ...files, words: { A: wordsA } }),
      (e: unknown) => e instanceof AppError && e.code === 'ami_missing_file',
    );
  });
});
