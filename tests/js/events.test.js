// Event maps on the page: the altitude profile's drawing and the arrowhead's turn.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const events = require('../../geo/present/web/events.js');

const profile = {
  downrange_km: [0, 450, 900], altitude_km: [0, 5700, 0], apogee_km: 5700, range_km: 900,
  track_km: 991, spans: [{ country: 'Japan', kind: 'eez', start_km: 938, end_km: 991 }]
};

test('the profile fills its box: the arc starts and ends on the ground, apogee below the top', () => {
  const s = events.profileShapes(profile, 250, 80);
  assert.strictEqual(s.path, 'M0.0 80.0L' + (450 / (991 * 1.02) * 250).toFixed(1) + ' ' +
    (80 - 80 / 1.22).toFixed(1) + 'L' + (900 / (991 * 1.02) * 250).toFixed(1) + ' 80.0');
  assert.strictEqual(s.spans.length, 1);
  assert.ok(Math.abs(s.spans[0].x - 938 / (991 * 1.02) * 250) < 1e-9);
  assert.strictEqual(s.spans[0].h, 80);  // a zone span is full height, land a strip
  assert.ok(Math.abs(s.trackX - 250 / 1.02) < 1e-9);
  assert.deepStrictEqual(s.yTicks.map((t) => t[1]), [0, 2000, 4000, 6000]);
});

test('nice tick steps and screen angles', () => {
  assert.strictEqual(events.tickStep(2754, 5), 1000);
  assert.strictEqual(events.tickStep(900, 5), 200);
  assert.strictEqual(events.angle({ x: 0, y: 0 }, { x: 10, y: 0 }), 0);
  assert.strictEqual(events.angle({ x: 0, y: 0 }, { x: 0, y: 10 }), 90);  // screen y is down
});

test('a panel takes the first corner that hides no point', () => {
  const rect = (c) => (c === 'topleft' ? { left: 0, top: 0, right: 100, bottom: 50 }
    : { left: 500, top: 0, right: 600, bottom: 50 });
  assert.strictEqual(events.clearCorner(['topleft', 'topright'], rect, [{ x: 40, y: 20 }]),
    'topright');
  assert.strictEqual(events.clearCorner(['topleft', 'topright'], rect, [{ x: 300, y: 20 }]),
    'topleft');
  // covered everywhere: the first corner
  assert.strictEqual(events.clearCorner(['topleft', 'topright'], rect,
    [{ x: 40, y: 20 }, { x: 550, y: 20 }]), 'topleft');
});
