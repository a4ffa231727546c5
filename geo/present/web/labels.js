/* rangezone page: names on the map.

   The placer is the one of geo/present/layout.py (Placer, tiers, leader_for), written again
   for the browser because the page places names whenever the view changes: the same
   candidates in the same order, the same checks, over the same spec fields, with the
   constants that Python sends as data.placer (K below). Boxes are [x0, y0, x1, y1] in
   container pixels with y UP, as in Python; the DOM part converts (y up = -y down).
   The pure part is exported for Node's test runner. */
(function (root) {
  'use strict';
  var RZ = root.RZ = root.RZ || {};

  function boxAt(x, y, w, h, ha, va) {
    var x0 = ha === 'left' ? x : ha === 'right' ? x - w : x - 0.5 * w;
    var y0 = va === 'bottom' ? y : va === 'top' ? y - h : y - 0.5 * h;
    return [x0, y0, x0 + w, y0 + h];
  }

  function compassBoxes(K, anchors, gap, w, h, dirs) {
    var out = [];
    anchors.forEach(function (a) {
      (dirs || K.COMPASS).forEach(function (c) {
        out.push(boxAt(a[0] + gap * c[2], a[1] + gap * c[3], w, h, c[0], c[1]));
      });
    });
    return out;
  }

  function far(K, anchors, w, h, u) {
    return K.FAR_GAPS.map(function (g) { return compassBoxes(K, anchors, g * u, w, h); });
  }

  // Where a name of w x h may go, as boxes in tiers: nearest its feature first.
  // r: {kind, anchors, normals, around, side, unit, attached}.
  function tiers(K, r, w, h) {
    var u = r.unit || 1, out = [], C = K.COMPASS;
    if (r.kind === 'ring') {
      // on the ring (the halo breaks the line), then just inside or outside it
      out.push(r.anchors.map(function (a) { return boxAt(a[0], a[1], w, h, 'center', 'center'); }));
      var normals = r.normals && r.normals.length ? r.normals
        : r.anchors.map(function () { return [0, 1]; });
      K.RING_GAPS.forEach(function (gap) {
        var tier = [];
        r.anchors.forEach(function (a, i) {
          var nx = normals[i][0], ny = normals[i][1];
          var off = Math.abs(nx) * 0.5 * w + Math.abs(ny) * 0.5 * h + gap * u;
          tier.push(boxAt(a[0] + nx * off, a[1] + ny * off, w, h, 'center', 'center'));
          tier.push(boxAt(a[0] - nx * off, a[1] - ny * off, w, h, 'center', 'center'));
        });
        out.push(tier);
      });
      var step = Math.max(1, Math.floor(r.anchors.length / 8));
      return out.concat(far(K, r.anchors.filter(function (a, i) { return i % step === 0; }),
        w, h, u));
    }
    if (r.kind === 'line') {
      var four = [C[0], C[1], C[4], C[5]];
      // beside the line (four sides, then all round): one tier
      out.push(compassBoxes(K, r.anchors, K.LINE_GAPS[0] * u, w, h, four)
        .concat(compassBoxes(K, r.anchors, K.LINE_GAPS[1] * u, w, h)));
      if (r.attached) { return out; }
      out.push(compassBoxes(K, r.anchors.slice(0, 3), K.LINE_GAPS[2] * u, w, h));
      return out.concat(far(K, r.anchors.slice(0, 3), w, h, u));
    }
    // a point: around its marker (or its uncertainty area), then further out; a site in a
    // cluster looks away from the other sites first (a stable sort, as Python's)
    var compass = C.slice();
    if (r.side) {
      var sx = r.side[0], sy = r.side[1];
      compass = compass.map(function (c, i) { return [c, i]; }).sort(function (a, b) {
        var da = -(a[0][2] * sx + a[0][3] * sy) / Math.hypot(a[0][2], a[0][3]);
        var db = -(b[0][2] * sx + b[0][3] * sy) / Math.hypot(b[0][2], b[0][3]);
        return da - db || a[1] - b[1];
      }).map(function (p) { return p[0]; });
    }
    K.POINT_GAPS.concat(K.FAR_GAPS).forEach(function (gap) {
      var ring = [], d = gap * u;
      r.anchors.forEach(function (a) {
        var x = a[0], y = a[1];
        var ar = r.around || [x, y, x, y];
        compass.forEach(function (c) {
          var dx = c[2], dy = c[3], px = x + d * dx, py = y + d * dy;
          if (r.around) {
            var g = 0.6 * d;
            if (dx > 0) { px = Math.max(px, ar[2] + g * dx); }
            else if (dx < 0) { px = Math.min(px, ar[0] + g * dx); }
            if (dy > 0) { py = Math.max(py, ar[3] + g * dy); }
            else if (dy < 0) { py = Math.min(py, ar[1] + g * dy); }
          }
          ring.push(boxAt(px, py, w, h, c[0], c[1]));
        });
      });
      out.push(ring);
    });
    return out;
  }

  // Does the segment a-b meet the box [x0, y0, x1, y1]? (Liang-Barsky clipping)
  function segHits(a, b, box) {
    var x0 = box[0], y0 = box[1], x1 = box[2], y1 = box[3];
    if (Math.max(a[0], b[0]) < x0 || Math.min(a[0], b[0]) > x1 ||
      Math.max(a[1], b[1]) < y0 || Math.min(a[1], b[1]) > y1) { return false; }
    var t0 = 0, t1 = 1, dx = b[0] - a[0], dy = b[1] - a[1];
    var p = [-dx, dx, -dy, dy], q = [a[0] - x0, x1 - a[0], a[1] - y0, y1 - a[1]];
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

  function overlaps(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }

  // A line from the box's nearest edge to the nearest anchor, when the name stands more
  // than LEADER_AFTER times its height away from it: [[ex, ey], [ax, ay]] or null.
  function leaderFor(K, anchors, b) {
    var best = null;
    anchors.forEach(function (a) {
      var ex = Math.min(Math.max(a[0], b[0]), b[2]), ey = Math.min(Math.max(a[1], b[1]), b[3]);
      var d = Math.hypot(a[0] - ex, a[1] - ey);
      if (!best || d < best.d) { best = { d: d, e: [ex, ey], a: [a[0], a[1]] }; }
    });
    if (!best || best.d <= K.LEADER_AFTER * (b[3] - b[1])) { return null; }
    return [best.e, best.a];
  }

  // Greedy placement over boxes (see geo/present/layout.py Placer).
  function Placer(K, frame, pad) {
    this.K = K;
    this.frame = frame;
    this.pad = pad === undefined ? K.EDGE_PAD : pad;
    this.taken = [];
    this.segs = [];  // [key, a, b]
  }
  Placer.prototype.take = function (b) { this.taken.push(b); };
  Placer.prototype.addLine = function (key, coords) {
    for (var i = 1; i < coords.length; i++) { this.segs.push([key, coords[i - 1], coords[i]]); }
  };
  Placer.prototype.inside = function (b) {
    var f = this.frame, p = this.pad;
    return b[0] >= f[0] + p && b[2] <= f[2] - p && b[1] >= f[1] + p && b[3] <= f[3] - p;
  };
  Placer.prototype.free = function (b, margin) {
    var g = [b[0] - margin[0], b[1] - margin[1], b[2] + margin[0], b[3] + margin[1]];
    return this.inside(b) && !this.taken.some(function (o) { return overlaps(g, o); });
  };
  // Does the box meet a line (other than those of key `own`, when given)?
  Placer.prototype.crosses = function (b, own) {
    return this.segs.some(function (s) {
      return (own === undefined || own === null || s[0] !== own) && segHits(s[1], s[2], b);
    });
  };
  // r: {kind, sizes: [[w, h]...], anchors, normals, around, side, key, unit, margin, leader,
  //   attached}
  // -> {text, box, leader} or null.
  Placer.prototype.place = function (r) {
    if (!r.anchors.length || !r.sizes.length) { return null; }
    var self = this, K = this.K;
    var sized = r.sizes.map(function (s) { return tiers(K, r, s[0], s[1]); });
    var levels = Math.max.apply(null, sized.map(function (t) { return t.length; }));
    // a line's name keeps off its own line where it can; a track's in a shorter form first
    var order = [], passes = r.kind === 'line' ? ['all', 'others', 'any'] : ['others', 'any'];
    var track = (r.key || '').indexOf('track:') === 0;
    (track ? passes : [0]).forEach(function (p) {
      sized.forEach(function (t, i) {
        if (track) { order.push([p, i]); return; }
        passes.forEach(function (q) { order.push([q, i]); });
      });
    });
    for (var level = 0; level < levels; level++) {
      for (var o = 0; o < order.length; o++) {
        var pass = order[o][0], i = order[o][1];
        if (level >= sized[i].length) { continue; }
        var cands = sized[i][level];
        for (var c = 0; c < cands.length; c++) {
          var b = cands[c];
          if (!self.free(b, r.margin)) { continue; }
          if (pass === 'all' && self.crosses(b)) { continue; }
          if (pass === 'others' && self.crosses(b, r.key || '')) { continue; }
          return self.taken_(r, i, b);
        }
      }
    }
    // a leg's name only beside its leg
    if (r.attached) { return null; }
    // no place near the feature: the nearest free room anywhere, with a leader
    for (var j = r.sizes.length - 1; j >= 0; j--) {
      var room = self.freeRoom(r, r.sizes[j][0], r.sizes[j][1]);
      if (room) { return self.taken_(r, j, room); }
    }
    return null;
  };
  Placer.prototype.freeRoom = function (r, w, h) {
    var f = this.frame, p = this.pad + 1, ax = r.anchors[0][0], ay = r.anchors[0][1];
    var cands = [];
    for (var y = f[1] + p; y + h <= f[3] - p; y += h) {
      for (var x = f[0] + p; x + w <= f[2] - p; x += 0.5 * h) {
        cands.push([Math.hypot(x + 0.5 * w - ax, y + 0.5 * h - ay), cands.length,
          [x, y, x + w, y + h]]);
      }
    }
    cands.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    for (var i = 0; i < cands.length; i++) {
      if (this.free(cands[i][2], r.margin)) { return cands[i][2]; }
    }
    return null;
  };
  Placer.prototype.taken_ = function (r, text, b) {
    this.taken.push(b);
    var lead = r.leader === false ? null : leaderFor(this.K, r.anchors, b);
    if (lead) { this.addLine('leader:' + this.taken.length, lead); }
    return { text: text, box: b, leader: lead };
  };
  // A country's or zone's name centred on the first of `points` where it is free (by
  // FIXED_GROW), crosses no line and (`fits`) lies inside its area.
  Placer.prototype.placeFixed = function (size, points, fits) {
    var w = size[0], h = size[1], K = this.K;
    var m = [0.5 * (K.FIXED_GROW[0] - 1) * w, 0.5 * (K.FIXED_GROW[1] - 1) * h];
    for (var i = 0; i < points.length; i++) {
      var b = boxAt(points[i][0], points[i][1], w, h, 'center', 'center');
      if (!this.free(b, m) || this.crosses(b, null)) { continue; }
      if (fits && !fits(b, i)) { continue; }
      this.taken.push(b);
      return b;
    }
    return null;
  };

  // Labels on `map`; `groups` maps a layer kind to its Leaflet group (a name avoids the
  // lines of a group only while the group is shown); `K`: the placer's constants.
  function create(map, groups, K) {
    var el = RZ.base.el;
    function marker(text, cls, colour, at, pane) {
      var inner = el('div', 'rz-lbl ' + cls, text);
      if (colour) { inner.style.color = colour; }
      return L.marker(at, {
        icon: L.divIcon({ className: 'rz-anchor', html: inner, iconSize: [0, 0] }),
        pane: pane, interactive: false, keyboard: false
      });
    }
    // Names of zones and countries can go to one of several places (computed for maps of
    // usual shapes); declutter() keeps the first that the map shows, clear of other labels.
    var movables = [];
    // beside: pieces of a subject's land to name it by (layout.name_beside)
    function movable(text, cls, colour, places, pane, beside) {
      var m = marker(text, cls, colour, [places[0][0], places[0][1]], pane);
      movables.push({ m: m, places: places, beside: beside || [] });
      return m;
    }
    // The map's own names (sites, reported impacts, lines, rings): a spec of
    // geo/present/page_labels.py each, placed in order of priority.
    var owns = [];
    function own(spec) {
      var m = marker(spec.texts[0], 'rz-lbl-' + spec.kind, spec.colour, spec.places[0],
        'rz-labels');
      owns.push({ m: m, spec: spec });
      return m;
    }
    // Rings and lines that names must not cross: {kind, key, lines} with lines as latlngs.
    var avoid = [];
    function avoidLines(kind, key, lines) { avoid.push({ kind: kind, key: key, lines: lines }); }

    var leaders = L.layerGroup().addTo(map);
    function declutter() {
      var frame = map.getContainer().getBoundingClientRect();
      var placer = new Placer(K, [0, -frame.height, frame.width, 0]);
      leaders.clearLayers();
      function up(p) { return [p.x, -p.y]; }
      function lead(ends, colour) {
        leaders.addLayer(L.polyline(ends.map(function (p) {
          return map.containerPointToLatLng([p[0], -p[1]]);
        }), { pane: 'rz-labels', color: colour, weight: 1.1, opacity: 0.9,
          interactive: false, className: 'rz-leader' }));
      }
      function at(ll) { return up(map.latLngToContainerPoint(ll)); }
      function rectBox(r, sx, sy) {
        return [r.left - frame.left + sx, -(r.bottom - frame.top) + sy,
          r.right - frame.left - sx, -(r.top - frame.top) - sy];
      }
      document.querySelectorAll('.leaflet-control').forEach(function (e) {
        var r = e.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) { placer.take(rectBox(r, 0, 0)); }
      });
      // Markers are round: their boxes less a little, so that a name can sit right beside.
      document.querySelectorAll('.rz-pts path').forEach(function (e) {
        var r = e.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) { placer.take(rectBox(r, 3, 2)); }
      });
      avoid.forEach(function (a) {
        if (!map.hasLayer(groups[a.kind])) { return; }
        a.lines.forEach(function (line) { placer.addLine(a.key, line.map(at)); });
      });
      owns.filter(function (o) { return map.hasLayer(o.m) && o.m.getElement(); })
        .sort(function (a, b) { return a.spec.priority - b.spec.priority; })
        .forEach(function (o) {
          var s = o.spec, e = o.m.getElement().firstChild;
          e.style.visibility = 'visible';
          e.style.transform = 'none';
          var sizes = s.texts.map(function (text) {
            e.textContent = text;
            var b = e.getBoundingClientRect();
            return [b.width, b.height];
          });
          var font = parseFloat(root.getComputedStyle(e).fontSize) || 12;
          var around = null;
          if (s.around) {
            var sw = at([s.around[1], s.around[0]]), ne = at([s.around[3], s.around[2]]);
            around = [Math.min(sw[0], ne[0]), Math.min(sw[1], ne[1]),
              Math.max(sw[0], ne[0]), Math.max(sw[1], ne[1])];
          }
          var anchors = s.places.map(at);
          var got = placer.place({ kind: s.kind, sizes: sizes, anchors: anchors,
            normals: s.normals, around: around, side: s.side, key: s.key, unit: 1,
            margin: [K.LABEL_GAP, K.LABEL_GAP_EM * font], leader: s.leader,
            attached: s.attached });
          o.m.setLatLng(s.places[0]);
          if (!got) {
            e.textContent = s.texts[0];
            e.style.transform = '';
            e.style.visibility = 'hidden';
            return;
          }
          e.textContent = s.texts[got.text];
          var a0 = anchors[0];
          e.style.transform = 'translate(' + (got.box[0] - a0[0]) + 'px,' +
            (a0[1] - got.box[3]) + 'px)';
          if (got.leader) {
            var site = s.kind === 'site' || s.kind === 'reported_impact';
            lead(got.leader, site ? K.LEADER_COLOR : s.colour);
          }
        });
      movables.forEach(function (it) {
        var icon = it.m.getElement();
        if (!icon || !map.hasLayer(it.m)) { return; }
        var e = icon.firstChild;
        e.style.visibility = 'visible';
        e.style.transform = '';
        var r = e.getBoundingClientRect();
        var points = it.places.map(function (p) { return at([p[0], p[1]]); });
        // A zone's name stays inside the zone: within the runs of the zone along the
        // parallel and the meridian through its place.
        var got = placer.placeFixed([r.width, r.height], points, function (b, i) {
          var p = it.places[i];
          if (p.length < 6) { return true; }
          var c = points[i], w = at([p[0], p[3]]), east = at([p[0], p[5]]);
          var s = at([p[2], p[1]]), n = at([p[4], p[1]]);
          var half = 0.45 * (b[2] - b[0]), halfH = 0.45 * (b[3] - b[1]);
          return c[0] - w[0] >= half && east[0] - c[0] >= half && c[1] - s[1] >= halfH &&
            n[1] - c[1] >= halfH;
        });
        var i = got ? points.findIndex(function (p) {
          return Math.abs(0.5 * (got[0] + got[2]) - p[0]) < 1e-6 &&
            Math.abs(0.5 * (got[1] + got[3]) - p[1]) < 1e-6;
        }) : -1;
        var by = null;
        if (i < 0 && it.beside.length) {
          var font = parseFloat(root.getComputedStyle(e).fontSize) || 12;
          by = placer.place({ kind: 'reference_point', sizes: [[r.width, r.height]],
            anchors: it.beside.map(at), unit: 1, key: '',
            margin: [K.LABEL_GAP, K.LABEL_GAP_EM * font], leader: true });
        }
        if (i >= 0) {
          it.m.setLatLng([it.places[i][0], it.places[i][1]]);
        } else if (by) {
          var a0 = at(it.beside[0]);
          it.m.setLatLng(it.beside[0]);
          e.style.transform = 'translate(' + (by.box[0] - a0[0]) + 'px,' +
            (a0[1] - by.box[3]) + 'px)';
          if (by.leader) { lead(by.leader, K.LEADER_COLOR); }
        } else {
          e.style.visibility = 'hidden';
          it.m.setLatLng([it.places[0][0], it.places[0][1]]);
        }
      });
    }
    return { own: own, movable: movable, avoid: avoidLines, declutter: declutter };
  }

  RZ.labels = { boxAt: boxAt, tiers: tiers, segHits: segHits, leaderFor: leaderFor,
    Placer: Placer, create: create };
  if (typeof module === 'object' && module.exports) { module.exports = RZ.labels; }
})(typeof window !== 'undefined' ? window : globalThis);
