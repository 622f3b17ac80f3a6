import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PlatformOriginsError, isNavigationAllowed, mapPlatformUrl, parsePlatformOrigins } from './platform-origins';

describe('platform origins', () => {
  const origins = parsePlatformOrigins(' meet.google.com=http://127.0.0.1:4010/ignored , teams.microsoft.com=http://localhost:4011');

  test('parses host=origin pairs, keeping only the origin', () => {
    assert.equal(origins.get('meet.google.com'), 'http://127.0.0.1:4010');
    assert.equal(origins.get('teams.microsoft.com'), 'http://localhost:4011');
    assert.equal(parsePlatformOrigins(undefined).size, 0);
    assert.throws(() => parsePlatformOrigins('meet.google.com'), PlatformOriginsError);
    assert.throws(() => parsePlatformOrigins('meet.google.com=ftp://x'), PlatformOriginsError);
  });

  test('maps the host and keeps path and query', () => {
    assert.equal(mapPlatformUrl('https://meet.google.com/abc-defg-hij?authuser=0&hs=1', origins), 'http://127.0.0.1:4010/abc-defg-hij?authuser=0&hs=1');
    assert.equal(mapPlatformUrl('https://zoom.us/j/123', origins), 'https://zoom.us/j/123');
  });

  test('navigation stays on the platform hosts or their mapped origins', () => {
    const hosts = ['meet.google.com'];
    assert.equal(isNavigationAllowed('https://meet.google.com/abc-defg-hij', hosts, origins), true);
    assert.equal(isNavigationAllowed('http://127.0.0.1:4010/abc-defg-hij', hosts, origins), true);
    assert.equal(isNavigationAllowed('http://localhost:4011/x', hosts, origins), false, 'mapped origin of another platform');
    assert.equal(isNavigationAllowed('http://meet.google.com/abc', hosts, origins), false, 'plain http');
    assert.equal(isNavigationAllowed('https://meet.google.com.evil.com/abc', hosts, origins), false);
    assert.equal(isNavigationAllowed('https://accounts.google.com/ServiceLogin', hosts, origins), false);
    assert.equal(isNavigationAllowed('https://user@meet.google.com/abc', hosts, origins), false);
    assert.equal(isNavigationAllowed('about:blank', hosts, origins), true);
    assert.equal(isNavigationAllowed('https://a.teams.microsoft.com/x', ['*.teams.microsoft.com'], new Map()), true);
  });
});
