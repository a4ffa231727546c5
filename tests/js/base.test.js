// Reading the page's geometry: GeoJSON [lon, lat] to Leaflet [lat, lon].
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const base = require('../../geo/present/web/base.js');

test('latlngs swaps every kind of part to [lat, lon]', () => {
  assert.deepStrictEqual(base.latlngs({ type: 'MultiPoint', coordinates: [[125.7, 38.5]] }),
    [[38.5, 125.7]]);
  assert.deepStrictEqual(
    base.latlngs({ type: 'MultiLineString', coordinates: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] }),
    [[[2, 1], [4, 3]], [[6, 5], [8, 7]]]);
  const poly = { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] };
  assert.deepStrictEqual(base.latlngs(poly), [[[[0, 0], [0, 1], [1, 1], [0, 0]]]]);
});
