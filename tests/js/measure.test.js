// The distance tool's geodesic against pyproj's (GeographicLib's) WGS84 inverse.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const measure = require('../../geo/present/web/measure.js');

// [lat1, lon1, lat2, lon2, metres]: metres from
// pyproj 3.x `Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)[2]` (GeographicLib's Karney
// algorithm), computed once and written here.
const PYPROJ = [
  [38.50778, 125.75444, 38.50778, 126.75444, 87222.95296755656],
  [0, 0, 0, 1, 111319.49079327357],
  [39.0, 125.7, 35.0, 139.7, 1321160.4444835393],
  [-33.9, 18.4, 51.5, -0.13, 9632525.081054565],
  [60, -179.5, 60, 179.5, 55799.4703932604],
  [89.9, 0, -89.9, 0, 19981592.662942927],
  // nearly antipodal, where Vincenty's iteration does not converge (the page then takes
  // the shortest path through a midpoint)
  [0, 0, 0.5, 179.7, 19944127.420750458],
  [10, 20, -10.2, -160.1, 19981121.597810656],
  [0, 0, 0, 180, 20003931.458625447],
  [0, 0, 0, 179.5, 19980861.908890963],
  [30, 0, -30.1, 179.9, 19992090.411473345],
  [-45, 10, 44.8, -170.3, 19976784.663639825],
];
const TOL_M = 0.01; // a centimetre: far below the 50 m the browser test allows

for (const [lat1, lon1, lat2, lon2, metres] of PYPROJ) {
  test(`geodesic ${lat1},${lon1} -> ${lat2},${lon2}`, () => {
    const d = measure.geodesic({ lat: lat1, lng: lon1 }, { lat: lat2, lng: lon2 });
    assert.ok(Math.abs(d - metres) < TOL_M, `${d} vs ${metres}`);
  });
}

test('geodesic of a point to itself is zero', () => {
  assert.strictEqual(measure.geodesic({ lat: 12, lng: 34 }, { lat: 12, lng: 34 }), 0);
});

test('arc runs along the great circle with continuous longitudes across 180', () => {
  const pts = measure.arc({ lat: 60, lng: 170 }, { lat: 60, lng: 190 });
  assert.ok(pts.length >= 10, String(pts.length));
  assert.deepStrictEqual(pts[0], [60, 170]);
  assert.deepStrictEqual(pts[pts.length - 1], [60, 190]);
  for (let i = 1; i < pts.length; i++) {
    assert.ok(pts[i][1] > pts[i - 1][1], 'longitudes increase');
  }
  // a great circle between two points on a parallel bulges poleward
  const mid = pts[Math.floor(pts.length / 2)];
  assert.ok(mid[0] > 60.3, String(mid));
});

test('fmtDist gives km and NM with sensible precision', () => {
  assert.strictEqual(measure.fmtDist(87222.95), '87.2 km \u00b7 47.1 NM');
  assert.strictEqual(measure.fmtDist(1852), '1.85 km \u00b7 1.00 NM');
  assert.strictEqual(measure.fmtDist(1321160), '1321 km \u00b7 713 NM');
});
