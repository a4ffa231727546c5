// Pure parts of the label placer: segment/box hits and the candidate places around names.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const labels = require('../../geo/present/web/labels.js');

const P = (x, y) => ({ x, y });

test('segHits: a segment through, beside, and ending inside a box', () => {
  assert.ok(labels.segHits(P(-5, 5), P(15, 5), 0, 0, 10, 10));
  assert.ok(!labels.segHits(P(-5, 15), P(15, 15), 0, 0, 10, 10));
  assert.ok(labels.segHits(P(5, 5), P(50, 50), 0, 0, 10, 10));
  // diagonals whose bounding boxes both overlap the box: one cuts its corner, one misses
  assert.ok(labels.segHits(P(-5, 8), P(8, -5), 0, 0, 10, 10));
  assert.ok(!labels.segHits(P(-10, 5), P(5, -10), 0, 0, 10, 10));
});

test('tiers: a ring name starts on its places, centred', () => {
  const o = { kind: 'rz-lbl-ring', places: [[40, 125], [39, 127], [37, 126]] };
  const t = labels.tiers(o, 60, 14);
  assert.ok(t.length >= 5);
  assert.deepStrictEqual(t[0][0], { ll: [40, 125], tx: -30, ty: -7 });
  assert.strictEqual(t[0].length, 3);
});

test('tiers: a point name tries east first, then west', () => {
  const o = { kind: 'rz-lbl-site', places: [[38.5, 125.7]] };
  const t = labels.tiers(o, 50, 12);
  assert.strictEqual(t.length, 6);
  assert.deepStrictEqual(t[0][0], { ll: [38.5, 125.7], tx: 9, ty: -6 });
  assert.deepStrictEqual(t[0][1], { ll: [38.5, 125.7], tx: -59, ty: -6 });
});

test('tiers: a site at the east edge of a cluster looks east first, at the west edge west', () => {
  const east = labels.tiers({ kind: 'rz-lbl-site', places: [[0, 0]], away: [1, 0] }, 50, 12);
  assert.ok(east[0][0].tx > 0);
  const west = labels.tiers({ kind: 'rz-lbl-site', places: [[0, 0]], away: [-1, 0] }, 50, 12);
  assert.ok(west[0][0].tx < 0 && west[0][0].tx + 50 < 0);
});
