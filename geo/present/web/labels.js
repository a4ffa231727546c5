/* rangezone page: names on the map.

   The map's own names (sites, reported impacts, lines, rings) and the movable names of
   zones and countries, placed clear of each other and of the controls whenever the view
   changes. Pure helpers (tiers, segHits) are exported for Node's test runner. */
(function (root) {
  'use strict';
  var RZ = root.RZ = root.RZ || {};

  // Where a name of w x h pixels may go around its places, in tiers (nearest first): each
  // candidate is a place and the offset of the name's top left corner from it.
  function tiers(o, w, h) {
    var out = [];
    function at(p, tx, ty) { return { ll: p, tx: tx, ty: ty }; }
    if (o.kind === 'rz-lbl-ring') {
      // on the ring, then just above or below it, then further off (a small ring's name
      // may have to stand beside it)
      out.push(o.places.map(function (p) { return at(p, -w / 2, -h / 2); }));
      [[4, 0], [14, 0], [28, 8], [44, 24]].forEach(function (g) {
        var t = [];
        o.places.forEach(function (p) {
          t.push(at(p, -w / 2, -h - g[0]), at(p, -w / 2, g[0]));
          if (g[1]) { t.push(at(p, g[1], -h / 2), at(p, -g[1] - w, -h / 2)); }
        });
        out.push(t);
      });
      far(o.places.filter(function (p, i) {
        return i % Math.max(1, Math.floor(o.places.length / 8)) === 0;
      }));
      return out;
    }
    // last resorts, further off (a leader joins the name to its feature)
    function far(ps) {
      [64, 100, 150, 220].forEach(function (g) {
        var t = [], d = 0.7 * g;
        ps.forEach(function (p) {
          t.push(at(p, g, -h / 2), at(p, -g - w, -h / 2), at(p, -w / 2, -g - h),
            at(p, -w / 2, g), at(p, d, -d - h), at(p, d, d), at(p, -d - w, -d - h),
            at(p, -d - w, d));
        });
        out.push(t);
      });
    }
    function around(p, g, all) {
      var d = 0.7 * g, t = [at(p, g, -h / 2), at(p, -g - w, -h / 2)];
      if (all) {
        t.push(at(p, d, -d - h), at(p, d, d), at(p, -w / 2, -g - h), at(p, -w / 2, g),
          at(p, -d - w, -d - h), at(p, -d - w, d));
      } else {
        t.push(at(p, -w / 2, -g - h), at(p, -w / 2, g));
      }
      return t;
    }
    if (o.kind === 'rz-lbl-line') {
      [[6, false], [16, true]].forEach(function (m) {
        var t = [];
        o.places.forEach(function (p) { t = t.concat(around(p, m[0], m[1])); });
        out.push(t);
      });
      far(o.places.slice(0, 3));
      return out;
    }
    // a point: its name on either side, above, below or on a diagonal; a reported impact's
    // places are the east, west, north and south edges of its uncertainty area
    var ps = o.places, E = ps[0], W = ps[1] || E, N = ps[2] || E, S = ps[3] || E;
    var ne = [N[0], E[1]], se = [S[0], E[1]], nw = [N[0], W[1]], sw = [S[0], W[1]];
    // directions (east, north) of the candidates below, for a site in a cluster
    var dirs = [[1, 0], [-1, 0], [0.7, 0.7], [0.7, -0.7], [0, 1], [0, -1], [-0.7, 0.7],
      [-0.7, -0.7]];
    [9, 20, 36, 64, 100, 150].forEach(function (g) {
      var d = 0.7 * g;
      var t = [at(E, g, -h / 2), at(W, -g - w, -h / 2), at(ne, d, -d - h), at(se, d, d),
        at(N, -w / 2, -g - h), at(S, -w / 2, g), at(nw, -d - w, -d - h), at(sw, -d - w, d)];
      if (o.away) {
        var order = t.map(function (c, i) { return i; }).sort(function (a, b) {
          var da = dirs[a][0] * o.away[0] + dirs[a][1] * o.away[1];
          var db = dirs[b][0] * o.away[0] + dirs[b][1] * o.away[1];
          return db - da || a - b;
        });
        t = order.map(function (i) { return t[i]; });
      }
      out.push(t);
    });
    return out;
  }
  // Does the segment a-b meet the rectangle [x0, x1] x [y0, y1]? (Liang-Barsky clipping)
  function segHits(a, b, x0, y0, x1, y1) {
    if (Math.max(a.x, b.x) < x0 || Math.min(a.x, b.x) > x1 ||
      Math.max(a.y, b.y) < y0 || Math.min(a.y, b.y) > y1) { return false; }
    var t0 = 0, t1 = 1, dx = b.x - a.x, dy = b.y - a.y;
    var p = [-dx, dx, -dy, dy], q = [a.x - x0, x1 - a.x, a.y - y0, y1 - a.y];
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) {
        if (q[i] < 0) { return false; }
      } else {
        var t = q[i] / p[i];
        if (p[i] < 0) { if (t > t1) { return false; } if (t > t0) { t0 = t; } }
        else { if (t < t0) { return false; } if (t < t1) { t1 = t; } }
      }
    }
    return true;
  }

  // Labels on `map`; `groups` maps a layer kind to its Leaflet group (a name avoids the
  // lines of a group only while the group is shown).
  function create(map, groups) {
    var el = RZ.base.el;
    function label(l, pane, extraCls) {
      var inner = el('div', 'rz-lbl ' + l[3] + (extraCls || ''), l[2]);
      if (l[4]) { inner.style.color = l[4]; }
      return L.marker([l[0], l[1]], {
        icon: L.divIcon({ className: 'rz-anchor', html: inner, iconSize: [0, 0] }),
        pane: pane, interactive: false, keyboard: false
      });
    }

    // Names of zones and countries can go to one of several places (computed for maps of
    // usual shapes); declutter() keeps the first that the map shows, clear of other labels.
    var movables = [];
    function movable(text, cls, colour, places, pane) {
      var p = places[0];
      var m = label([p[0], p[1], text, cls, colour], pane);
      movables.push({ m: m, places: places });
      return m;
    }
    // The map's own names (sites, reported impacts, lines, rings) choose before them, in
    // order of priority, among their places and sides; one with no free place at the current
    // zoom takes a shorter text, then hides.
    var owns = [];
    function ownLabel(l, it) {
      var m = label(l, 'rz-labels');
      owns.push({ m: m, it: it, kind: l[3], texts: [l[2]].concat(l[6] || []),
        places: l[5] || [[l[0], l[1]]], pri: l[7] || 0, away: l[8] || null,
        colour: l[4] || '#111' });
      return m;
    }

    // Rings and lines that names must not cross: {kind, it, lines} with lines as latlngs.
    var avoid = [];
    function avoidLines(kind, it, lines) { avoid.push({ kind: kind, it: it, lines: lines }); }
    // Country and zone names give way to the map's own labels, to the controls and to
    // bigger countries (listed first); each takes the first of its places that the map shows,
    // and a zone's name only where it fits in the zone's part.
    // A name placed farther from its feature than 1.5 times its height gets a thin line from
    // its nearest edge to the nearest of its places on the feature.
    var leaders = L.layerGroup().addTo(map);
    function leader(o, r) {
      var frame = map.getContainer().getBoundingClientRect(), best = null;
      o.places.forEach(function (p) {
        var c = map.latLngToContainerPoint(p);
        var ex = Math.min(Math.max(c.x, r.left - frame.left), r.right - frame.left);
        var ey = Math.min(Math.max(c.y, r.top - frame.top), r.bottom - frame.top);
        var d = Math.hypot(c.x - ex, c.y - ey);
        if (!best || d < best.d) { best = { d: d, a: p, e: L.point(ex, ey) }; }
      });
      if (!best || best.d <= 1.5 * r.height) { return; }
      var site = o.kind === 'rz-lbl-site' || o.kind === 'rz-lbl-reported_impact';
      leaders.addLayer(L.polyline([map.containerPointToLatLng(best.e), best.a], {
        pane: 'rz-labels', color: site ? '#444' : o.colour, weight: 1.1, opacity: 0.9,
        interactive: false, className: 'rz-leader' }));
    }
    function declutter() {
      var frame = map.getContainer().getBoundingClientRect(), placed = [];
      leaders.clearLayers();
      function overlaps(r) {
        return placed.some(function (p) {
          return !(r.right + 3 < p.left || r.left - 3 > p.right || r.bottom + 2 < p.top ||
            r.top - 2 > p.bottom);
        });
      }
      function inside(r) {
        return r.left >= frame.left + 2 && r.right <= frame.right - 2 &&
          r.top >= frame.top + 2 && r.bottom <= frame.bottom - 2;
      }
      // A zone's name stays inside the zone: within the runs of the zone along the parallel
      // and the meridian through its centre.
      function fits(r, p) {
        if (p.length < 6) { return true; }
        var c = map.latLngToContainerPoint([p[0], p[1]]);
        var w = map.latLngToContainerPoint([p[0], p[3]]);
        var e = map.latLngToContainerPoint([p[0], p[5]]);
        var s = map.latLngToContainerPoint([p[2], p[1]]);
        var n = map.latLngToContainerPoint([p[4], p[1]]);
        var half = 0.45 * r.width, halfH = 0.45 * r.height;
        return c.x - w.x >= half && e.x - c.x >= half && s.y - c.y >= halfH && c.y - n.y >= halfH;
      }
      document.querySelectorAll('.leaflet-control').forEach(function (e) {
        var r = e.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) { placed.push(r); }
      });
      // Markers are round: their boxes less the margin kept around names, so that a name
      // can sit right beside its marker.
      document.querySelectorAll('.rz-pts path').forEach(function (e) {
        var r = e.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) {
          placed.push({ left: r.left + 3, right: r.right - 3, top: r.top + 2, bottom: r.bottom - 2 });
        }
      });
      // Names do not cross the rings and lines that the map is about (a ring's or a line's
      // own name may cross it).
      var segs = [];
      avoid.forEach(function (a) {
        if (!map.hasLayer(groups[a.kind])) { return; }
        a.lines.forEach(function (line) {
          var prev = null;
          line.forEach(function (p) {
            var c = map.latLngToContainerPoint(p);
            if (prev) { segs.push([prev, c, a.it]); }
            prev = c;
          });
        });
      });
      function crosses(r, own) {
        // the box less the leading above and below the letters
        var x0 = r.left - frame.left - 1, x1 = r.right - frame.left + 1;
        var y0 = r.top - frame.top + 2, y1 = r.bottom - frame.top - 2;
        return segs.some(function (sg) {
          return sg[2] !== own && segHits(sg[0], sg[1], x0, y0, x1, y1);
        });
      }
      owns.filter(function (o) { return map.hasLayer(o.m) && o.m.getElement(); })
        .sort(function (a, b) { return a.pri - b.pri; })
        .forEach(function (o) {
          var e = o.m.getElement().firstChild, sized = [], best = null;
          e.style.visibility = 'visible';
          o.texts.forEach(function (text) {
            e.textContent = text;
            e.style.transform = 'none';
            var b = e.getBoundingClientRect();
            sized.push({ text: text, tiers: tiers(o, b.width, b.height), w: b.width,
              h: b.height });
          });
          var levels = Math.max.apply(null, sized.map(function (s) { return s.tiers.length; }));
          for (var lv = 0; lv < levels && !best; lv++) {
            for (var ti = 0; ti < sized.length && !best; ti++) {
              var sz = sized[ti], cands = sz.tiers[lv] || [];
              for (var pass = 0; pass < 2 && !best; pass++) {
                for (var ci = 0; ci < cands.length; ci++) {
                  var c = cands[ci], cp = map.latLngToContainerPoint(c.ll);
                  var left = frame.left + cp.x + c.tx, top = frame.top + cp.y + c.ty;
                  var r = { left: left, top: top, right: left + sz.w, bottom: top + sz.h,
                    width: sz.w, height: sz.h };
                  if (!inside(r) || overlaps(r) || (pass === 0 && crosses(r, o.it))) {
                    continue;
                  }
                  best = { c: c, r: r, text: sz.text };
                  break;
                }
              }
            }
          }
          if (!best) {
            // no place near the feature: the nearest free room anywhere in the map
            var sz0 = sized[sized.length - 1], a0 = map.latLngToContainerPoint(o.places[0]);
            var cands2 = [];
            for (var gy = 4; gy + sz0.h < frame.height - 4; gy += sz0.h) {
              for (var gx = 4; gx + sz0.w < frame.width - 4; gx += 0.5 * sz0.h) {
                cands2.push([gx, gy, Math.hypot(gx + sz0.w / 2 - a0.x, gy + sz0.h / 2 - a0.y)]);
              }
            }
            cands2.sort(function (a, b) { return a[2] - b[2]; });
            for (var k = 0; k < cands2.length; k++) {
              var l2 = frame.left + cands2[k][0], t2 = frame.top + cands2[k][1];
              var r2 = { left: l2, top: t2, right: l2 + sz0.w, bottom: t2 + sz0.h,
                width: sz0.w, height: sz0.h };
              if (!overlaps(r2)) {
                best = { c: { ll: o.places[0], tx: cands2[k][0] - a0.x, ty: cands2[k][1] - a0.y },
                  r: r2, text: sz0.text };
                break;
              }
            }
          }
          if (best) {
            e.textContent = best.text;
            o.m.setLatLng(best.c.ll);
            e.style.transform = 'translate(' + best.c.tx + 'px,' + best.c.ty + 'px)';
            placed.push(best.r);
            leader(o, best.r);
          } else {
            e.textContent = o.texts[0];
            e.style.transform = '';
            e.style.visibility = 'hidden';
            o.m.setLatLng(o.places[0]);
          }
        });
      movables.forEach(function (it) {
        var icon = it.m.getElement();
        if (!icon || !map.hasLayer(it.m)) { return; }
        var e = icon.firstChild, r = null, ok = false;
        e.style.visibility = 'visible';
        for (var i = 0; i < it.places.length && !ok; i++) {
          var p = it.places[i];
          it.m.setLatLng([p[0], p[1]]);
          r = e.getBoundingClientRect();
          ok = inside(r) && !overlaps(r) && fits(r, p) && !crosses(r);
        }
        if (ok) {
          placed.push(r);
        } else {
          e.style.visibility = 'hidden';
          it.m.setLatLng([it.places[0][0], it.places[0][1]]);
        }
      });
    }
    return { own: ownLabel, movable: movable, avoid: avoidLines, declutter: declutter };
  }

  RZ.labels = { tiers: tiers, segHits: segHits, create: create };
  if (typeof module === 'object' && module.exports) { module.exports = RZ.labels; }
})(typeof window !== 'undefined' ? window : globalThis);
