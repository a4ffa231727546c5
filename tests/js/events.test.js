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
  // covered everywhere: the corner covering fewest
  assert.strictEqual(events.clearCorner(['topleft', 'topright'], rect,
    [{ x: 40, y: 20 }, { x: 60, y: 20 }, { x: 550, y: 20 }]), 'topright');
});

test('a box that is not laid out is not taken for a clear corner', () => {
  // Regression: the 2022-10-04 page measured a detached container (a zero rectangle) and
  // put the info box over the launch site.
  const rect = (c) => (c === 'topleft' ? { left: 0, top: 0, right: 100, bottom: 50 }
    : c === 'topright' ? { left: 0, top: 0, right: 0, bottom: 0 }
      : { left: 0, top: 400, right: 100, bottom: 450 });
  assert.strictEqual(events.clearCorner(['topleft', 'topright', 'bottomleft'], rect,
    [{ x: 40, y: 20 }]), 'bottomleft');
});

test('screen angles: east is 0, down the screen is 90', () => {
  assert.strictEqual(events.angle({ x: 0, y: 0 }, { x: 10, y: 0 }), 0);
  assert.strictEqual(events.angle({ x: 0, y: 0 }, { x: 0, y: 10 }), 90);
  assert.strictEqual(events.angle({ x: 0, y: 0 }, { x: -10, y: 0 }), 180);
});

test('a panel keeps off the legend', () => {
  // Regression: the 2023-02-18 page at 1000 x 700 put the profile under the legend.
  const rect = (c) => (c === 'topright' ? { left: 600, top: 200, right: 900, bottom: 400 }
    : { left: 0, top: 300, right: 300, bottom: 500 });
  const legend = { left: 650, top: 350, right: 950, bottom: 600 };
  assert.strictEqual(events.clearCorner(['topright', 'bottomleft'], rect, [], [legend]),
    'bottomleft');
  assert.strictEqual(events.clearCorner(['topright', 'bottomleft'], rect, []), 'topright');
});

test('a panel covers a stretch of track before a site', () => {
  const rect = (c) => (c === 'topleft' ? { left: 0, top: 0, right: 100, bottom: 50 }
    : { left: 0, top: 400, right: 100, bottom: 450 });
  const track = [{ x: 10, y: 10 }, { x: 30, y: 20 }, { x: 50, y: 30 }];
  assert.strictEqual(events.clearCorner(['bottomleft', 'topleft'], rect,
    [{ x: 40, y: 420, w: 10 }].concat(track)), 'topleft');
});

test('cost: weights of the points a box covers; a box over the legend covers all', () => {
  const r = { left: 0, top: 0, right: 100, bottom: 50 };
  const pts = [{ x: 40, y: 20, w: 10 }, { x: 120, y: 20 }, { x: 400, y: 20 }];
  assert.strictEqual(events.cost(r, pts), 11);
  assert.strictEqual(events.cost(r, pts, [{ left: 90, top: 40, right: 200, bottom: 90 }]), 13);
});
