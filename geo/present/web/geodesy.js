/* rangezone page: geodesics on the WGS84 ellipsoid (Vincenty's inverse and direct
   formulas), shared by the distance tool and the range circles; tested under Node against
   pyproj. */
(function (root) {
  'use strict';
  var RZ = root.RZ = root.RZ || {};

  var A = 6378137, F = 1 / 298.257223563, B = A * (1 - F);

  function rad(d) { return d * Math.PI / 180; }
  function deg(r) { return r * 180 / Math.PI; }

  // [distance m, azimuth at a in degrees] from a to b ({lat, lng}), Vincenty's inverse
  // formula; null where it does not converge (nearly antipodal points).
  function inverse(a, b) {
    var U1 = Math.atan((1 - F) * Math.tan(rad(a.lat)));
    var U2 = Math.atan((1 - F) * Math.tan(rad(b.lat)));
    var sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
    var Lon = rad(b.lng - a.lng), lam = Lon, sinL, cosL, sinS, cosS, sig, sinAl, cos2Al, cos2Sm;
    for (var i = 0; i < 200; i++) {
      sinL = Math.sin(lam); cosL = Math.cos(lam);
      sinS = Math.sqrt(Math.pow(cosU2 * sinL, 2) +
        Math.pow(cosU1 * sinU2 - sinU1 * cosU2 * cosL, 2));
      if (sinS === 0) { return [0, 0]; }
      cosS = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
      sig = Math.atan2(sinS, cosS);
      sinAl = cosU1 * cosU2 * sinL / sinS;
      cos2Al = 1 - sinAl * sinAl;
      cos2Sm = cos2Al !== 0 ? cosS - 2 * sinU1 * sinU2 / cos2Al : 0;
      var C = F / 16 * cos2Al * (4 + F * (4 - 3 * cos2Al)), prev = lam;
      lam = Lon + (1 - C) * F * sinAl * (sig + C * sinS * (cos2Sm + C * cosS *
        (-1 + 2 * cos2Sm * cos2Sm)));
      if (Math.abs(lam - prev) < 1e-12) { break; }
    }
    if (i >= 200) { return null; }
    var u2 = cos2Al * (A * A - B * B) / (B * B);
    var kA = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
    var kB = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
    var dSig = kB * sinS * (cos2Sm + kB / 4 * (cosS * (-1 + 2 * cos2Sm * cos2Sm) -
      kB / 6 * cos2Sm * (-3 + 4 * sinS * sinS) * (-3 + 4 * cos2Sm * cos2Sm)));
    var az = Math.atan2(cosU2 * Math.sin(lam), cosU1 * sinU2 - sinU1 * cosU2 * Math.cos(lam));
    return [B * kA * (sig - dSig), (deg(az) + 360) % 360];
  }

  // [lat, lng] reached from a ({lat, lng}) going `dist` metres at azimuth `azDeg`,
  // Vincenty's direct formula; lng within 180° of a's.
  function direct(a, azDeg, dist) {
    var al1 = rad(azDeg), sinAl1 = Math.sin(al1), cosAl1 = Math.cos(al1);
    var tanU1 = (1 - F) * Math.tan(rad(a.lat)), cosU1 = 1 / Math.sqrt(1 + tanU1 * tanU1);
    var sinU1 = tanU1 * cosU1;
    var sig1 = Math.atan2(tanU1, cosAl1), sinAl = cosU1 * sinAl1, cos2Al = 1 - sinAl * sinAl;
    var u2 = cos2Al * (A * A - B * B) / (B * B);
    var kA = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
    var kB = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
    var sig = dist / (B * kA), prev, sinS, cosS, cos2Sm;
    for (var i = 0; i < 200; i++) {
      cos2Sm = Math.cos(2 * sig1 + sig); sinS = Math.sin(sig); cosS = Math.cos(sig);
      var dSig = kB * sinS * (cos2Sm + kB / 4 * (cosS * (-1 + 2 * cos2Sm * cos2Sm) -
        kB / 6 * cos2Sm * (-3 + 4 * sinS * sinS) * (-3 + 4 * cos2Sm * cos2Sm)));
      prev = sig;
      sig = dist / (B * kA) + dSig;
      if (Math.abs(sig - prev) < 1e-12) { break; }
    }
    sinS = Math.sin(sig); cosS = Math.cos(sig); cos2Sm = Math.cos(2 * sig1 + sig);
    var x = sinU1 * sinS - cosU1 * cosS * cosAl1;
    var lat = Math.atan2(sinU1 * cosS + cosU1 * sinS * cosAl1,
      (1 - F) * Math.sqrt(sinAl * sinAl + x * x));
    var lam = Math.atan2(sinS * sinAl1, cosU1 * cosS - sinU1 * sinS * cosAl1);
    var C = F / 16 * cos2Al * (4 + F * (4 - 3 * cos2Al));
    var L = lam - (1 - C) * F * sinAl * (sig + C * sinS * (cos2Sm + C * cosS *
      (-1 + 2 * cos2Sm * cos2Sm)));
    return [deg(lat), a.lng + deg(L)];
  }

  RZ.geodesy = { inverse: inverse, direct: direct };
  if (typeof module === 'object' && module.exports) { module.exports = RZ.geodesy; }
})(typeof window !== 'undefined' ? window : globalThis);
