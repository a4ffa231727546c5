// Reading the page's data: packed integer geometry to Leaflet [lat, lon], outline runs.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const base = require('../../geo/present/web/base.js');

// A packed geometry written by geo.present.page_data.pack_geometry (decimals 2) for
// MultiPolygon([box(125.0, 38.0, 126.5, 39.25)]) then LineString([(179.5, 60), (-179.5, 60.5)]):
// steps from the previous ring's last point, one running cursor.
test('unpack reads integer steps with one running cursor', () => {
  const poly = { kind: 'polygons', decimals: 2,
    coords: [[[12650, 3800, 0, 125, -150, 0, 0, -125, 150, 0]]] };
  assert.deepStrictEqual(base.unpack(poly),
    [[[[38, 126.5], [39.25, 126.5], [39.25, 125], [38, 125], [38, 126.5]]]]);
  const lines = { kind: 'lines', decimals: 1, coords: [[1795, 600, -3590, 5], [10, 10]] };
  assert.deepStrictEqual(base.unpack(lines), [[[60, 179.5], [60.5, -179.5]], [[61.5, -178.5]]]);
  const pts = { kind: 'points', decimals: 5, coords: [12575444, 3850778, 100000, -100000] };
  assert.deepStrictEqual(base.unpack(pts), [[38.50778, 125.75444], [37.50778, 126.75444]]);
});

test('outlineRuns strokes only the listed runs of each ring', () => {
  const polys = [[[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]], [[[5, 5], [5, 6], [6, 6], [5, 5]]]];
  assert.deepStrictEqual(base.outlineRuns(polys, [[0, 1, 2, 4], [0, 3]]),
    [[[0, 0], [0, 1]], [[1, 1], [1, 0], [0, 0]], [[5, 5], [5, 6], [6, 6], [5, 5]]]);
  assert.deepStrictEqual(base.outlineRuns(polys, [[], []]), []);
});

test('shift moves nested latlngs east by whole turns', () => {
  assert.deepStrictEqual(base.shift([[[1, 2], [3, 4]]], 360), [[[1, 362], [3, 364]]]);
  const same = [[1, 2]];
  assert.strictEqual(base.shift(same, 0), same);
});

const B85_60_110 = 'JUu=?KtV!7L`6nNNJ,adOifNtP*GA-R8:}2SXo+ITwPvYU}0ioWMyV,XlZI|Y;6';
// Strings from Python: base64.b85encode(data).decode().translate(str.maketrans('<>&', '.:,'))
test('b85 reads Python base85 with the page-safe alphabet, short last groups too', () => {
  const rz = Buffer.from('rangezone\u0000\u00ff\u0010', 'latin1');
  assert.deepStrictEqual(Buffer.from(base.b85('a$#;~WqNOJWdQ#W')), rz);
  // bytes 60..109 (B85_60_110): the output has ',' and ':' for '&' and '>'
  const bytes = Buffer.from(Array.from({ length: 50 }, (_, i) => 60 + i));
  assert.deepStrictEqual(Buffer.from(base.b85(B85_60_110)), bytes);
  assert.throws(() => base.b85('ab<cd'), /bad character/);
});
