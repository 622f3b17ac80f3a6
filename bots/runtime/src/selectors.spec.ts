import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HtmlFixture } from './fixture-matcher';
import { normalizeUiText, textMatches, UI_TEXT_FOLDS } from './selectors';

describe('UI text matching', () => {
  test('every apostrophe look-alike folds to a straight apostrophe', () => {
    for (const ch of [...UI_TEXT_FOLDS.apostrophes, "'"]) {
      assert.equal(normalizeUiText(`You${ch}ve been removed from the meeting`), "you've been removed from the meeting", `U+${ch.codePointAt(0)?.toString(16)}`);
    }
    assert.equal(normalizeUiText('You\u2032ve  been\u00a0removed'), "you've been removed");
    assert.equal(normalizeUiText('Type \u201cstop recording\u201d'), 'type "stop recording"');
  });

  test('text alternatives match whichever apostrophe the page or the list uses', () => {
    const straight = { css: 'button', text: ["Don't allow"], exact: true };
    const curly = { css: 'button', text: ['Don\u2019t allow'], exact: true };
    for (const shown of ["Don't allow", 'Don\u2019t allow', 'Don\u201bt allow', 'Don\uff07t allow', 'Don`t allow']) {
      assert.ok(textMatches(shown, straight), shown);
      assert.ok(textMatches(shown, curly), shown);
    }
    assert.equal(textMatches('Do not allow', straight), false);
  });

  test('fixture text search folds apostrophes on both sides', () => {
    const page = new HtmlFixture('<div><p>You\u02bbve been removed from the meeting</p></div>');
    assert.equal(page.hasText(["You've been removed from the meeting"]), "You've been removed from the meeting");
    assert.equal(page.hasText(['You\u2019ve been removed from the meeting']), 'You\u2019ve been removed from the meeting');
  });
});
