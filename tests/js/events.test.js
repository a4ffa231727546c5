// Event maps on the page: where the panels go and how the arrowhead turns.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const events = require('../../geo/present/web/events.js');

test('a panel takes the first corner that hides no point', () => {
  const rect = (c) => (c === 'topleft' ? { left: 0, top: 0, right: 100, bottom: 50 }
    : { left: 500, top: 0, right: 600, bottom: 50 });
  assert.strictEqual(events.clearCorner(['topleft', 'topright'], rect, [{ x: 40, y: 20 }]),
    'topright');
  assert.strictEqual(events.clearCorner(['topleft', 'topright'], rect, [{ x: 300, y: 20 }]),
    'topleft');
  // a point within 30 px of the box counts as covered
  assert.strictEqual(events.clearCorner(['topleft', 'topright'], rect, [{ x: 125, y: 20 }]),
    'topright');
  // covered everywhere: the first corner
  assert.strictEqual(events.clearCorner(['topleft', 'topright'], rect,
    [{ x: 40, y: 20 }, { x: 550, y: 20 }]), 'topleft');
});

test('screen angles: east is 0, down the screen is 90', () => {
  assert.strictEqual(events.angle({ x: 0, y: 0 }, { x: 10, y: 0 }), 0);
  assert.strictEqual(events.angle({ x: 0, y: 0 }, { x: 0, y: 10 }), 90);
  assert.strictEqual(events.angle({ x: 0, y: 0 }, { x: -10, y: 0 }), 180);
});
