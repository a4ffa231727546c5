// The page's label placer: the pure part of geo/present/web/labels.js, checked against the
// Python placer (geo/present/layout.py) on the scene in fixtures/placer_cases.json.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const labels = require('../../geo/present/web/labels.js');

const cases = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'placer_cases.json')));
const K = cases.constants;

function close(a, b, what) {
  assert.strictEqual(a.length, b.length, what);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-9, `${what}: ${a} != ${b}`));
}

test('segHits: a segment through, beside, and ending inside a box', () => {
  const box = [0, 0, 10, 10];
  assert.ok(labels.segHits([-5, 5], [15, 5], box));
  assert.ok(!labels.segHits([-5, 15], [15, 15], box));
  assert.ok(labels.segHits([5, 5], [50, 50], box));
  // diagonals whose bounding boxes both overlap the box: one cuts its corner, one misses
  assert.ok(labels.segHits([-5, 8], [8, -5], box));
  assert.ok(!labels.segHits([-10, 5], [5, -10], box));
});

test('tiers: a ring name starts on its places, centred, then off it along the normal', () => {
  const r = { kind: 'ring', anchors: [[100, 50], [80, 40]], normals: [[0, 1], [1, 0]], unit: 1 };
  const t = labels.tiers(K, r, 60, 14);
  assert.deepStrictEqual(t[0], [[70, 43, 130, 57], [50, 33, 110, 47]]);
  // first gap: 7 (half the height along a vertical normal) + RING_GAPS[0], either side
  const off = 7 + K.RING_GAPS[0];
  close(t[1][0], [70, 43 + off, 130, 57 + off], 'outside');
  close(t[1][1], [70, 43 - off, 130, 57 - off], 'inside');
  assert.strictEqual(t.length, 1 + K.RING_GAPS.length + K.FAR_GAPS.length);
});

test('tiers: a point name tries east first, then west; a clustered site its own side', () => {
  const t = labels.tiers(K, { kind: 'site', anchors: [[0, 0]], unit: 1 }, 50, 12);
  const g = K.POINT_GAPS[0];
  close(t[0][0], [g, -6, g + 50, 6], 'east');
  close(t[0][1], [-g - 50, -6, -g, 6], 'west');
  const west = labels.tiers(K, { kind: 'site', anchors: [[0, 0]], side: [-1, 0], unit: 1 }, 50, 12);
  assert.ok(west[0][0][2] < 0);
  const up = labels.tiers(K, { kind: 'site', anchors: [[0, 0]], side: [0, 1], unit: 1 }, 50, 12);
  assert.ok(up[0][0][1] > 0);  // y up: north first
});

test('the page places the scene exactly as Python does', () => {
  const placer = new labels.Placer(K, cases.frame, cases.pad);
  cases.taken.forEach((b) => placer.take(b));
  cases.lines.forEach(([key, coords]) => placer.addLine(key, coords));
  cases.requests.forEach((r, i) => {
    const got = placer.place(Object.assign({ unit: 1, key: '' }, r));
    const want = cases.expected[i];
    if (want === null) { assert.strictEqual(got, null, `request ${i}`); return; }
    assert.ok(got, `request ${i} found no place`);
    assert.strictEqual(got.text, want.text, `request ${i} text`);
    close(got.box, want.box, `request ${i} box`);
    if (want.leader === null) {
      assert.strictEqual(got.leader, null, `request ${i} leader`);
    } else {
      close(got.leader[0], want.leader[0], `request ${i} leader start`);
      close(got.leader[1], want.leader[1], `request ${i} leader end`);
    }
  });
  cases.fixed.forEach((f, i) => {
    const got = placer.placeFixed(f.size, f.points);
    const want = cases.expected_fixed[i];
    if (want === null) { assert.strictEqual(got, null); } else { close(got, want, `fixed ${i}`); }
  });
  // the scene reaches past the first tiers: a name with a leader
  assert.ok(cases.expected.some((e) => e && e.leader), 'a leader');
});
