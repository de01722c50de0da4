// The fleet page: counts, map markers and the table, refreshed without reloading.
'use strict';

(async function () {
  const { el } = P;
  let config;
  try {
    config = await P.getJson('/api/config');
  } catch (e) {
    P.showError(`Cannot reach the dashboard server: ${e.message}`);
    return;
  }
  const map = P.makeMap('map', config);
  const markers = new Map(); // device id -> { marker, state, row }
  const search = document.getElementById('search');
  const sort = document.getElementById('sort');
  let devices = [];
  let fitted = false;

  function matches(row, query) {
    if (!query) return true;
    return [row.name, row.description, row.plate, row.id]
      .some((v) => typeof v === 'string' && v.toLowerCase().includes(query));
  }

  function ageKey(row) {
    return typeof row.ageSeconds === 'number' ? row.ageSeconds : Number.POSITIVE_INFINITY;
  }

  function sorted(rows) {
    const copy = rows.slice();
    const byName = (a, b) => a.name.localeCompare(b.name);
    if (sort.value === 'name') return copy.sort(byName);
    const sign = sort.value === 'age-asc' ? 1 : -1;
    return copy.sort((a, b) => {
      const [x, y] = [ageKey(a), ageKey(b)];
      if (x === y) return byName(a, b);
      return x < y ? -sign : sign;
    });
  }

  function popup(row) {
    return el('div', { class: 'popup' },
      el('a', { href: P.deviceUrl(row.id), class: 'popup-name' }, row.name),
      row.plate ? el('div', {}, `Plate: ${row.plate}`) : null,
      row.description ? el('div', {}, row.description) : null,
      el('div', {}, `${P.STATE_LABELS[row.state] || row.state} · ${P.speed(row.speed)}`),
      el('div', {}, `Last report ${P.age(row.ageSeconds)} ago (${P.time(row.lastReport)})`));
  }

  function tag(marker, id) {
    const element = marker.getElement();
    if (element) element.setAttribute('data-marker-device-id', id);
  }

  function placeMarker(row, visible) {
    const has = typeof row.latitude === 'number' && typeof row.longitude === 'number';
    let entry = markers.get(row.id);
    if (!has) {
      if (entry) {
        entry.marker.remove();
        markers.delete(row.id);
      }
      return;
    }
    if (!entry) {
      const marker = L.marker([row.latitude, row.longitude], { icon: P.icon(row.state), keyboard: true });
      entry = { marker, state: row.state, row };
      marker.bindPopup(() => popup(entry.row));
      marker.on('add', () => tag(marker, row.id));
      markers.set(row.id, entry);
    } else {
      entry.marker.setLatLng([row.latitude, row.longitude]);
      if (entry.state !== row.state) {
        entry.marker.setIcon(P.icon(row.state));
        entry.state = row.state;
      }
    }
    entry.row = row;
    if (visible && !map.hasLayer(entry.marker)) entry.marker.addTo(map);
    if (!visible && map.hasLayer(entry.marker)) entry.marker.remove();
    if (visible) tag(entry.marker, row.id);
  }

  function tableRow(row) {
    const name = el('td', { class: 'name' },
      el('span', { class: `dot dot-${row.state}`, title: P.STATE_LABELS[row.state] || row.state }),
      el('a', { href: P.deviceUrl(row.id) }, row.name));
    const extra = [row.plate, row.description].filter((v) => typeof v === 'string' && v);
    if (extra.length) name.append(el('div', { class: 'sub' }, extra.join(' · ')));
    let where;
    if (row.error) where = el('td', { class: 'error' }, row.error);
    else if (row.state === 'noPosition') where = el('td', { class: 'muted' }, 'no position reported');
    else where = el('td', {}, P.position(row.latitude, row.longitude));
    return el('tr', { 'data-device-id': row.id, 'data-state': row.state, class: `state-${row.state}` },
      name,
      el('td', {}, P.when(row.lastReport)),
      el('td', { class: 'age' }, P.age(row.ageSeconds)),
      el('td', { class: 'speed' }, P.speed(row.speed)),
      where);
  }

  function render() {
    const query = search.value.trim().toLowerCase();
    const body = document.getElementById('rows');
    const rows = sorted(devices).filter((row) => matches(row, query));
    body.replaceChildren(...rows.map(tableRow));
    const seen = new Set();
    for (const row of devices) {
      seen.add(row.id);
      placeMarker(row, matches(row, query));
    }
    for (const [id, entry] of markers) {
      if (!seen.has(id)) {
        entry.marker.remove();
        markers.delete(id);
      }
    }
  }

  function showCounts(view) {
    for (const name of ['vehicles', 'moving', 'parked', 'silent']) {
      document.getElementById(`count-${name}`).textContent = String(view.counts[name]);
    }
    const c = view.counts;
    const parts = [];
    if (c.silent - c.noPosition > 0) parts.push(`${c.silent - c.noPosition} without a report for over ${P.age(view.silentAfterSeconds)}`);
    if (c.noPosition > 0) parts.push(`${c.noPosition} never reported a position`);
    if (c.unknown > 0) parts.push(`${c.unknown} could not be read`);
    document.getElementById('silent-note').textContent =
      parts.length ? `Silent: ${parts.join(', ')}.` : 'No silent vehicles.';
  }

  async function refresh() {
    try {
      const view = await P.getJson('/api/fleet');
      devices = Array.isArray(view.devices) ? view.devices : [];
      showCounts(view);
      render();
      if (!fitted) {
        const points = devices.filter((d) => typeof d.latitude === 'number' && typeof d.longitude === 'number')
          .map((d) => [d.latitude, d.longitude]);
        if (points.length) map.fitBounds(points, { padding: [30, 30], maxZoom: 15 });
        fitted = true;
      }
      document.getElementById('updated').textContent =
        `Updated ${P.clock(view.generatedAt)} · refreshes every ${config.refreshSeconds} s`;
      document.body.setAttribute('data-loaded', 'true');
      P.showError('');
    } catch (e) {
      P.showError(`Refresh failed: ${e.message}`);
    } finally {
      setTimeout(refresh, config.refreshSeconds * 1000);
    }
  }

  // `?q=` and `?sort=` prefill the controls, and follow them, so a view can be linked.
  const params = new URLSearchParams(location.search);
  search.value = params.get('q') || '';
  if ([...sort.options].some((o) => o.value === params.get('sort'))) sort.value = params.get('sort');
  function remember() {
    const url = new URL(location.href);
    for (const [key, value] of [['q', search.value.trim()], ['sort', sort.value === 'age-desc' ? '' : sort.value]]) {
      if (value) url.searchParams.set(key, value);
      else url.searchParams.delete(key);
    }
    history.replaceState(null, '', url);
  }
  search.addEventListener('input', () => { remember(); render(); });
  sort.addEventListener('change', () => { remember(); render(); });
  refresh();
})();
