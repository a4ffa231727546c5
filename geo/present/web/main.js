/* rangezone page: builds the map from the page's data (#rz-data) with Leaflet. */
(function (root) {
  'use strict';
  var RZ = root.RZ, L = root.L, document = root.document;
  var el = RZ.base.el, unpack = RZ.base.unpack, outlineRuns = RZ.base.outlineRuns;
  var shift = RZ.base.shift;

  var node = document.getElementById('rz-data');
  RZ.base.readData(node).then(build, function (err) {
    var box = document.getElementById('rz-map');
    box.appendChild(el('p', 'rz-error', 'The map cannot be shown: ' + err.message));
    throw err;
  });

  function build(data) {
    var map = L.map('rz-map', {
      zoomSnap: 0.25, zoomDelta: 0.5, attributionControl: false, worldCopyJump: false,
      minZoom: 1, maxZoom: 14
    });
    // Panes fix the drawing order whatever the order of toggling in the layer control.
    [['rz-land', 210], ['rz-land-labels', 215], ['rz-eez', 380], ['rz-base-lines', 390],
     ['rz-zone-labels', 400], ['rz-areas', 405],
     ['rz-rings', 420], ['rz-points', 610], ['rz-labels', 650], ['rz-measure', 660]]
      .forEach(function (p) { map.createPane(p[0]).style.zIndex = p[1]; });
    map.getPane('rz-labels').style.pointerEvents = 'none';
    map.getPane('rz-land-labels').style.pointerEvents = 'none';
    map.getPane('rz-zone-labels').style.pointerEvents = 'none';
    map.getPane('rz-points').classList.add('rz-pts');
    map.getPane('rz-measure').style.pointerEvents = 'none';
    var PANES = { eez: 'rz-eez', range_area: 'rz-areas', impact_area: 'rz-areas',
      impact_uncertainty: 'rz-areas', ring: 'rz-rings', reported_impact: 'rz-points',
      site: 'rz-points' };

    function popup(it) {
      return function () {
        var box = el('div', 'rz-popup');
        box.appendChild(el('h3', '', it.name));
        var table = el('table');
        it.info.forEach(function (row) {
          var tr = el('tr');
          tr.appendChild(el('th', '', row[0]));
          tr.appendChild(el('td', '', row[1]));
          table.appendChild(tr);
        });
        box.appendChild(table);
        return box;
      };
    }

    var counts = { paths: 0, markers: 0, labels: 0, zoneLabels: 0, countryLabels: 0 };
    var groups = {};
    var overlays = {};
    var labels = RZ.labels.create(map, groups, data.placer);
    var smooth = data.smoothFactor, rounders = [];
    data.layers.forEach(function (layer) {
      var group = L.featureGroup();
      var pane = PANES[layer.kind] || 'rz-rings';
      layer.items.forEach(function (it) {
        var g = it.geometry, s = it.style, shape, ll = unpack(g), round = [];
        if (g.kind === 'points') {
          ll.forEach(function (p) {
            shape = L.circleMarker(p, L.extend({ pane: 'rz-points', fillOpacity: 1 }, s));
            shape.bindTooltip(el('span', '', it.name), { direction: 'top', offset: [0, -6] });
            shape.bindPopup(popup(it));
            group.addLayer(shape);
            counts.markers += 1;
          });
        } else if (g.kind === 'polygons') {
          // Fill only: the polygon's own edges include cuts at 180° and at the clip window;
          // the outline strokes the rest of its rings.
          shape = L.polygon(ll, L.extend({ pane: pane, stroke: false, smoothFactor: smooth }, s));
          shape.bindTooltip(el('span', '', it.name), { sticky: true });
          shape.bindPopup(popup(it));
          group.addLayer(shape);
          counts.paths += 1;
          round.push({ layer: shape, latlngs: ll, depth: 2 });
          var runs = outlineRuns(ll, it.outlineRuns || []);
          if (runs.length) {
            var stroke = L.polyline(runs, L.extend({}, s, {
              pane: pane, interactive: false, fill: false, smoothFactor: smooth }));
            group.addLayer(stroke);
            round.push({ layer: stroke, latlngs: runs, depth: 1 });
          }
        } else {
          shape = L.polyline(ll, L.extend({ pane: pane, fill: false, smoothFactor: smooth }, s));
          shape.bindTooltip(el('span', '', it.name), { sticky: true });
          shape.bindPopup(popup(it));
          group.addLayer(shape);
          counts.paths += 1;
          round.push({ layer: shape, latlngs: ll, depth: 1 });
          // names keep clear of the rings and lines the map is about (zones excepted)
          if (layer.kind !== 'eez') { labels.avoid(layer.kind, it.label ? it.label.key : '', ll); }
        }
        // range circles: exact points added between the sent ones as the map zooms in
        if (it.circle && round.length) {
          rounders.push(RZ.circles.keepRound(map, it.circle, round));
        }
        if (data.worldCopies && g.kind !== 'points') {
          // a world-scale map: the areas and lines again one turn east and west (drawn
          // only; names, markers and popups stay on the map's own turn)
          var runsLl = g.kind === 'polygons' ? outlineRuns(ll, it.outlineRuns || []) : [];
          [-360, 360].forEach(function (dx) {
            var opts = { pane: pane, interactive: false, smoothFactor: smooth };
            if (g.kind === 'polygons') {
              group.addLayer(L.polygon(shift(ll, dx), L.extend({}, s, opts, { stroke: false })));
              if (runsLl.length) {
                group.addLayer(L.polyline(shift(runsLl, dx), L.extend({}, s, opts,
                  { fill: false })));
              }
            } else {
              group.addLayer(L.polyline(shift(ll, dx), L.extend({}, s, opts, { fill: false })));
            }
          });
        }
        if (it.label) { group.addLayer(labels.own(it.label)); counts.labels += 1; }
        if (it.zoneLabel) {
          var z = it.zoneLabel;
          group.addLayer(labels.movable(z.text, 'rz-lbl-zone', z.colour, z.places,
            'rz-zone-labels'));
          counts.zoneLabels += 1;
        }
      });
      group.addTo(map);
      groups[layer.kind] = group;
      overlays[layer.name] = group;
    });

    // Offline basemap from the page itself: land (the coarse world, then the region around
    // the content in detail) with its coast, borders and country names.
    var bm = data.basemap, col = data.colors;
    var base = L.layerGroup();
    var lines = L.layerGroup();
    bm.tiers.forEach(function (tier) {
      var shifts = tier.repeat ? [0, -360, 360] : [0];
      var land = tier.land ? unpack(tier.land) : [];
      var coast = tier.land ? outlineRuns(land, tier.coastRuns) : [];
      var borders = tier.borders ? unpack(tier.borders) : [];
      shifts.forEach(function (dx) {
        if (land.length) {
          base.addLayer(L.polygon(shift(land, dx), { pane: 'rz-land', stroke: false,
            fillColor: col.land, fillOpacity: 1, interactive: false }));
        }
        if (coast.length) {
          lines.addLayer(L.polyline(shift(coast, dx), { pane: 'rz-base-lines', color: col.coast,
            weight: 0.9, interactive: false }));
        }
        if (borders.length) {
          lines.addLayer(L.polyline(shift(borders, dx), { pane: 'rz-base-lines',
            color: col.border, weight: 1, dashArray: '4 3', interactive: false }));
        }
      });
    });
    (bm.labels || []).forEach(function (c) {
      lines.addLayer(labels.movable(c.text, 'rz-lbl-country', null, c.places,
        'rz-land-labels', c.beside));
      counts.countryLabels += 1;
    });
    var bases = { 'Offline basemap (Natural Earth)': base };
    if (data.tiles) {
      var t = data.tiles;
      var tiles = L.tileLayer(t.url, { maxZoom: t.maxZoom, subdomains: t.subdomains || 'abc',
        attribution: '' });
      bases[t.name] = tiles;
      tiles.addTo(map);
    } else {
      base.addTo(map);
    }
    lines.addTo(map);
    overlays['Coastlines, borders, countries'] = lines;
    L.control.layers(bases, overlays, { collapsed: true, position: 'topright' }).addTo(map);

    var legend = RZ.controls.legend(map);
    RZ.controls.scale(map);
    RZ.controls.mouse(map);

    // Zoomed out no further than the world's height fills the map, and panned no further
    // than the land drawn one turn east and west: no edge of the world shows.
    var lonWin = data.lonWindow;
    map.setMaxBounds(L.latLngBounds([[-85.06, lonWin[0] - 360], [85.06, lonWin[1] + 360]]));
    map.options.maxBoundsViscosity = 1;
    function fillZoom() {
      var h = map.getSize().y;
      map.setMinZoom(Math.max(1, Math.log(Math.max(h, 256) / 256) / Math.LN2));
    }
    fillZoom();
    map.on('resize', fillZoom);
    var bounds = L.latLngBounds(data.bounds);
    function fitContent() {
      var s = map.getSize(), pad = Math.max(4, Math.min(28, 0.05 * Math.min(s.x, s.y)));
      map.fitBounds(bounds, { padding: [pad, pad], animate: false });
      // Where the legend would cover the content, the content moves over to make room for
      // it (when the map is wide enough to spare the legend's width).
      var box = document.getElementById('rz-legend');
      if (!box || !box.open || s.x < 520 || s.y < 340) { return; }
      var lr = box.getBoundingClientRect(), fr = map.getContainer().getBoundingClientRect();
      var sw = map.latLngToContainerPoint(bounds.getSouthWest());
      var ne = map.latLngToContainerPoint(bounds.getNorthEast());
      var hit = !(fr.left + ne.x < lr.left || fr.left + sw.x > lr.right ||
        fr.top + sw.y < lr.top || fr.top + ne.y > lr.bottom);
      if (hit && lr.width < 0.4 * s.x) {
        map.fitBounds(bounds, { paddingTopLeft: [pad, pad],
          paddingBottomRight: [pad + lr.width + 10, pad], animate: false });
      }
    }
    RZ.controls.tools(map, fitContent);

    // The legend starts folded when even a few rows would not fit.
    map.on('resize', function () { RZ.controls.fitLegend(map); });
    if (RZ.controls.fitLegend(map) < 90) { document.getElementById('rz-legend').open = false; }
    map.on('zoomend moveend overlayadd overlayremove resize', labels.declutter);
    if (RZ.events) { RZ.events.add(map, data, el); }
    fitContent();
    rounders.forEach(function (refresh) { refresh(); });
    labels.declutter();
    // Small maps (an iframe in a document) start with the legend folded.
    var sizeNow = map.getSize();
    if (sizeNow.x < 520 || sizeNow.y < 340) { document.getElementById('rz-legend').open = false; }
    if (root.ResizeObserver) {
      var lastSize = sizeNow;
      new root.ResizeObserver(function () {
        var s = map.getSize();
        map.invalidateSize({ pan: false });
        if (Math.abs(s.x - lastSize.x) + Math.abs(s.y - lastSize.y) > 2) { lastSize = s; }
      }).observe(document.getElementById('rz-map'));
    }
    // Printing changes the page size: redraw for the paper, then back for the screen.
    var screenView = null;
    root.addEventListener('beforeprint', function () {
      screenView = [map.getCenter(), map.getZoom()];
      map.invalidateSize({ pan: false }); fitContent();
    });
    root.addEventListener('afterprint', function () {
      map.invalidateSize({ pan: false });
      if (screenView) { map.setView(screenView[0], screenView[1], { animate: false }); }
    });

    root.rangezoneMap = { map: map, layers: groups, counts: counts, legend: legend,
      fit: fitContent, ready: true };
  }
})(window);
