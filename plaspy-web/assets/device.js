// The device page: details, the day's track, trips and stops, downloads.
'use strict';

(async function () {
  const { el } = P;
  const id = decodeURIComponent(location.pathname.split('/')[2] || '');
  const dateInput = document.getElementById('date');
  let config;
  try {
    config = await P.getJson('/api/config');
  } catch (e) {
    P.showError(`Cannot reach the dashboard server: ${e.message}`);
    return;
  }
  const map = P.makeMap('map', config);
  const layers = L.featureGroup().addTo(map);

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  function today() {
    const t = new Date();
    return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
  }

  /** Minutes east of UTC in the browser's zone at midday of that date. */
  function offsetOf(date) {
    const [y, m, d] = date.split('-').map(Number);
    const midday = new Date(y, m - 1, d, 12);
    return Number.isNaN(midday.getTime()) ? 0 : -midday.getTimezoneOffset();
  }

  function query(date) {
    return `date=${encodeURIComponent(date)}&offset=${offsetOf(date)}`;
  }

  function km(value) {
    return typeof value === 'number' && Number.isFinite(value) ? `${value.toFixed(1)} km` : '—';
  }

  function lasted(seconds, open) {
    return typeof seconds === 'number' ? `${P.age(seconds)}${open ? '+' : ''}` : '—';
  }

  function details(data) {
    const d = data.device;
    const last = data.last || {};
    const rows = [
      ['Id', d.id],
      ['Name', d.name],
      ['Description', d.description],
      ['Plate', d.plate],
      ['SIM (MIN)', d.min],
      ['Service expires', d.expires ? P.time(d.expires) : null],
      ['State', P.STATE_LABELS[last.state] || last.state],
      ['Last report', last.lastReport ? `${P.time(last.lastReport)} (${P.age(last.ageSeconds)} ago)` : 'never'],
      ['Speed', P.speed(last.speed)],
      ['Position', P.position(last.latitude, last.longitude)],
    ];
    for (const [k, v] of Object.entries(d.tags || {})) {
      if (k.toLowerCase() !== 'plate') rows.push([`Tag ${k}`, v]);
    }
    document.querySelector('#details tbody').replaceChildren(
      ...rows.filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))));
  }

  function reports(data) {
    const trips = document.querySelector('#trips tbody');
    const stops = document.querySelector('#stops tbody');
    const tripsNote = document.getElementById('trips-note');
    const stopsNote = document.getElementById('stops-note');
    if (!Array.isArray(data.trips) || !Array.isArray(data.stops)) {
      trips.replaceChildren();
      stops.replaceChildren();
      tripsNote.textContent = stopsNote.textContent = 'Trip and stop reports are not available.';
      return;
    }
    tripsNote.textContent = data.trips.length ? '' : 'No trips on this day.';
    stopsNote.textContent = data.stops.length ? '' : 'No stops on this day.';
    trips.replaceChildren(...data.trips.map((t) => el('tr', { 'data-trip': '' },
      el('td', {}, t.startsMidTrip ? '… ' : '', P.when(t.start)),
      el('td', {}, P.when(t.end), t.endsMidTrip ? ' …' : ''),
      el('td', {}, lasted(t.durationSeconds, t.startsMidTrip || t.endsMidTrip)), el('td', {}, km(t.distanceKm)),
      el('td', {}, P.speed(t.maxSpeedKmh)))));
    stops.replaceChildren(...data.stops.map((s) => el('tr', { 'data-stop': '' },
      el('td', {}, s.startsMidStop ? '… ' : '', P.when(s.start)),
      el('td', {}, P.when(s.end), s.endsMidStop ? ' …' : ''),
      el('td', {}, lasted(s.durationSeconds, s.startsMidStop || s.endsMidStop)),
      el('td', {}, P.position(s.latitude, s.longitude)))));
    for (const s of data.stops) {
      if (typeof s.latitude !== 'number' || typeof s.longitude !== 'number') continue;
      L.circleMarker([s.latitude, s.longitude], { radius: 6, color: '#8a5a00', fillColor: '#f0b43c', fillOpacity: 0.9, weight: 2 })
        .bindTooltip(el('span', {}, `Stop ${P.clock(s.start)}–${P.clock(s.end)} (${lasted(s.durationSeconds, s.endsMidStop)})`))
        .addTo(layers);
    }
  }

  function track(data) {
    const points = (data.track || []).filter((p) => typeof p.lat === 'number' && typeof p.lon === 'number');
    if (!points.length) return;
    const line = L.polyline(points.map((p) => [p.lat, p.lon]), { color: '#2f6fd6', weight: 4, opacity: 0.85 }).addTo(layers);
    const path = line.getElement();
    if (path) {
      path.setAttribute('data-track-device-id', id);
      path.setAttribute('data-track-points', String(points.length));
    }
    const first = points[0];
    const last = points[points.length - 1];
    L.circleMarker([first.lat, first.lon], { radius: 6, color: '#fff', fillColor: '#2e9d4b', fillOpacity: 1, weight: 2 })
      .bindTooltip(el('span', {}, `Start ${P.clock(first.t)}`)).addTo(layers);
    L.circleMarker([last.lat, last.lon], { radius: 6, color: '#fff', fillColor: '#c0392b', fillOpacity: 1, weight: 2 })
      .bindTooltip(el('span', {}, `End ${P.clock(last.t)}`)).addTo(layers);
  }

  function current(data) {
    const last = data.last;
    if (!last || typeof last.latitude !== 'number' || typeof last.longitude !== 'number') return;
    const marker = L.marker([last.latitude, last.longitude], { icon: P.icon(last.state) })
      .bindPopup(() => el('div', {}, el('strong', {}, data.device.name),
        el('div', {}, `Last report ${P.age(last.ageSeconds)} ago · ${P.speed(last.speed)}`)));
    marker.on('add', () => marker.getElement().setAttribute('data-marker-device-id', data.device.id));
    marker.addTo(layers);
  }

  async function load(date) {
    dateInput.value = date;
    document.getElementById('gpx').href = `${P.deviceUrl(id)}/track.gpx?${query(date)}`;
    document.getElementById('geojson').href = `${P.deviceUrl(id)}/track.geojson?${query(date)}`;
    document.getElementById('summary').textContent = 'loading…';
    layers.clearLayers();
    let data;
    try {
      data = await P.getJson(`/api/devices/${encodeURIComponent(id)}?${query(date)}`);
    } catch (e) {
      P.showError(`Cannot load ${id}: ${e.message}`);
      document.getElementById('summary').textContent = '';
      return;
    }
    P.showError('');
    document.title = `${data.device.name} · Plaspy`;
    document.getElementById('name').textContent = data.device.name;
    const badge = document.getElementById('state');
    const state = data.last ? data.last.state : 'unknown';
    badge.textContent = P.STATE_LABELS[state] || state;
    badge.className = `badge badge-${state}`;
    details(data);
    track(data);
    current(data);
    reports(data);
    const shown = (data.track || []).length;
    const sampled = data.trackPoints > shown ? ` (${shown} drawn)` : '';
    document.getElementById('summary').textContent = data.trackPoints
      ? `${data.trackPoints} positions on ${data.date}${sampled}`
      : `No positions on ${data.date}.`;
    if (layers.getLayers().length) map.fitBounds(layers.getBounds(), { padding: [30, 30], maxZoom: 16 });
    document.body.setAttribute('data-loaded', 'true');
  }

  const requested = new URLSearchParams(location.search).get('date');
  dateInput.addEventListener('change', () => {
    if (!dateInput.value) return;
    const url = new URL(location.href);
    url.searchParams.set('date', dateInput.value);
    history.replaceState(null, '', url);
    load(dateInput.value);
  });
  load(requested && /^\d{4}-\d{2}-\d{2}$/.test(requested) ? requested : today());
})();
