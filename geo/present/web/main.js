/* rangezone page: builds the map from the page's data (#rz-data) with Leaflet. */
(function (root) {
  'use strict';
  var RZ = root.RZ, L = root.L, document = root.document;
  var el = RZ.base.el, ll = RZ.base.ll, latlngs = RZ.base.latlngs;

  var data = JSON.parse(document.getElementById('rz-data').textContent);
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

  function popup(p) {
    return function () {
      var box = el('div', 'rz-popup');
      box.appendChild(el('h3', '', p[0]));
      var table = el('table');
      p[1].forEach(function (row) {
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
  var labels = RZ.labels.create(map, groups);
  data.layers.forEach(function (layer) {
    var group = L.featureGroup();
    var pane = PANES[layer.kind] || 'rz-rings';
    layer.items.forEach(function (it) {
      var g = it.g, s = it.s, shape;
      if (g.type === 'MultiPoint') {
        g.coordinates.forEach(function (c) {
          shape = L.circleMarker(ll(c), L.extend({ pane: 'rz-points', fillOpacity: 1 }, s));
          shape.bindTooltip(el('span', '', it.t), { direction: 'top', offset: [0, -6] });
          shape.bindPopup(popup(it.p));
          group.addLayer(shape);
          counts.markers += 1;
        });
      } else if (g.type === 'MultiPolygon') {
        // Fill only: the polygon's own edges include cuts at 180° and at the clip window;
        // the real outline comes separately as lines.
        shape = L.polygon(latlngs(g), L.extend({ pane: pane, stroke: false }, s));
        shape.bindTooltip(el('span', '', it.t), { sticky: true });
        shape.bindPopup(popup(it.p));
        group.addLayer(shape);
        counts.paths += 1;
        if (it.o) {
          var rings = it.o === 1
            ? { type: 'MultiLineString', coordinates: [].concat.apply([], g.coordinates) }
            : it.o;
          group.addLayer(L.polyline(latlngs(rings), L.extend({}, s, {
            pane: pane, interactive: false, fill: false })));
        }
      } else {
        shape = L.polyline(latlngs(g), L.extend({ pane: pane, fill: false }, s));
        shape.bindTooltip(el('span', '', it.t), { sticky: true });
        shape.bindPopup(popup(it.p));
        group.addLayer(shape);
        counts.paths += 1;
      }
      if (it.l) { group.addLayer(labels.own(it.l, it)); counts.labels += 1; }
      if (it.z) {
        group.addLayer(labels.movable(it.z[0], 'rz-lbl-zone', it.z[1], it.z[2],
          'rz-zone-labels'));
        counts.zoneLabels += 1;
      }
    });
    group.addTo(map);
    groups[layer.kind] = group;
    overlays[layer.name] = group;
  });

  // Offline basemap: land fill, coastlines, borders and country names from the page itself.
  var bm = data.basemap, col = data.colors;
  var base = L.layerGroup();
  if (bm.land) {
    base.addLayer(L.polygon(latlngs(bm.land), { pane: 'rz-land', stroke: false,
      fillColor: col.land, fillOpacity: 1, interactive: false }));
  }
  var lines = L.layerGroup();
  if (bm.coast) {
    lines.addLayer(L.polyline(latlngs(bm.coast), { pane: 'rz-base-lines', color: col.coast,
      weight: 0.9, interactive: false }));
  }
  if (bm.borders) {
    lines.addLayer(L.polyline(latlngs(bm.borders), { pane: 'rz-base-lines', color: col.border,
      weight: 1, dashArray: '4 3', interactive: false }));
  }
  bm.labels.forEach(function (c) {
    lines.addLayer(labels.movable(c[0], 'rz-lbl-country', null, c[1], 'rz-land-labels'));
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

  // Names keep clear of the rings and lines the map is about (zones excepted).
  data.layers.forEach(function (layer) {
    if (layer.kind === 'eez') { return; }
    layer.items.forEach(function (it) {
      if (it.g.type === 'MultiLineString') { labels.avoid(layer.kind, it, latlngs(it.g)); }
    });
  });

  // The legend starts folded when even a few rows would not fit.
  map.on('resize', function () { RZ.controls.fitLegend(map); });
  if (RZ.controls.fitLegend(map) < 90) { document.getElementById('rz-legend').open = false; }
  map.on('zoomend moveend overlayadd overlayremove resize', labels.declutter);
  fitContent();
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
})(window);
