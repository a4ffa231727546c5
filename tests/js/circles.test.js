// Geodesics (Vincenty) against pyproj, and range circles kept round by exact points.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const geodesy = require('../../geo/present/web/geodesy.js');
const circles = require('../../geo/present/web/circles.js');

// [lat, lon, azimuth, metres, lat2, lon2]: lat2/lon2 from pyproj 3.x
// `Geod(ellps="WGS84").fwd(lon, lat, azimuth, metres)` (GeographicLib), computed once and
// written here (lon2 of the Anadyr case shifted by +360 to stay near the start).
const FWD = [
  [38.50778, 125.75444, 0, 400000, 42.11006477613678, 125.75444],
  [38.50778, 125.75444, 77.5, 400000, 39.20072703900388, 130.27705672183708],
  [38.50778, 125.75444, 200, 13000000, -69.83518013216273, 64.09854709005543],
  [64.7, 177.5, 95, 1500000, 60.53090406186966, 205.5782153331045],
];
const TOL_DEG = 1e-8; // about a millimetre

for (const [lat, lon, az, m, lat2, lon2] of FWD) {
  test(`direct ${lat},${lon} az ${az} ${m} m`, () => {
    const p = geodesy.direct({ lat: lat, lng: lon }, az, m);
    assert.ok(Math.abs(p[0] - lat2) < TOL_DEG && Math.abs(p[1] - lon2) < TOL_DEG,
      `${p} vs ${lat2},${lon2}`);
  });
}

test('inverse gives the distance and the azimuth at the start', () => {
  // pyproj: Geod(ellps="WGS84").inv(125.75444, 38.50778, 126.5, 41.0)
  //   -> (12.7647447157721, -166.75835915327514, 283988.49231244606)
  const r = geodesy.inverse({ lat: 38.50778, lng: 125.75444 }, { lat: 41.0, lng: 126.5 });
  assert.ok(Math.abs(r[0] - 283988.49231244606) < 0.001, String(r));
  assert.ok(Math.abs(r[1] - 12.7647447157721) < 1e-8, String(r));
});

test('round adds exact circle points between neighbours, only where a chord shows', () => {
  const c = { lat: 38.50778, lon: 125.75444, radii: [400000] };
  const centre = { lat: c.lat, lng: c.lon };
  // three vertices on the 400 km circle, 3° of azimuth apart, and one off it
  const seq = [0, 3, 6].map((az) => geodesy.direct(centre, az, 400000));
  seq.push([40, 128]);
  const info = circles.measure(seq, c);
  assert.deepStrictEqual(info.map((i) => i[1]), [0, 0, 0, -1]);
  // at 1 m a pixel (street zoom) each 3° chord (sagitta 137 m) gets about 26 pieces
  const fine = circles.round(seq, info, c, () => 1, () => true);
  assert.ok(fine.length > 40, String(fine.length));
  for (const p of fine.slice(0, -1)) {
    const d = geodesy.inverse(centre, { lat: p[0], lng: p[1] })[0];
    assert.ok(Math.abs(d - 400000) < 0.01, String(d));
  }
  // zoomed out (1 km a pixel) or away from the view: the chords stay as sent
  assert.strictEqual(circles.round(seq, info, c, () => 1000, () => true).length, 4);
  assert.strictEqual(circles.round(seq, info, c, () => 1, () => false).length, 4);
});
