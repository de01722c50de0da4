// Shared by the pages. Every value from the API is written with textContent or as an
// attribute value through the DOM, never parsed as HTML.
'use strict';

const P = (function () {
  const STATE_LABELS = {
    moving: 'moving',
    parked: 'parked',
    silent: 'silent',
    noPosition: 'no position',
    unknown: 'unknown',
  };

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined && value !== false) {
        node.setAttribute(name, String(value));
      }
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    if (!response.ok) {
      const message = body && typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
      throw new Error(message);
    }
    return body;
  }

  /** "42 s", "5 min", "3 h 10 min", "2 d 4 h". */
  function age(seconds) {
    if (seconds === null || seconds === undefined) return '—';
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return `${s} s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} min`;
    const h = Math.floor(m / 60);
    if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
    const d = Math.floor(h / 24);
    return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
  }

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  /** A time in the browser's zone: "2024-06-01 08:05:09". */
  function time(iso) {
    if (!iso) return '—';
    const t = new Date(iso);
    if (Number.isNaN(t.getTime())) return '—';
    return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ` +
      `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  }

  /** The time as a date and a clock that each stay on one line. */
  function when(iso) {
    const text = time(iso);
    if (text.length < 19) return document.createTextNode(text);
    const node = document.createElement('span');
    node.append(el('span', { class: 'nw' }, text.slice(0, 10)), ' ', el('span', { class: 'nw' }, text.slice(11)));
    return node;
  }

  function clock(iso) {
    return time(iso).slice(11);
  }

  function speed(kmh) {
    return typeof kmh === 'number' && Number.isFinite(kmh) ? `${Math.round(kmh)} km/h` : '—';
  }

  function position(lat, lon) {
    return typeof lat === 'number' && typeof lon === 'number'
      ? `${lat.toFixed(5)}, ${lon.toFixed(5)}` : '—';
  }

  /** The map, with the configured tiles when there are any. Without network the tiles
   *  fail quietly and the markers draw on the plain background. */
  function makeMap(id, config) {
    const map = L.map(id, { zoomControl: true, worldCopyJump: true }).setView([4.65, -74.1], 6);
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, {
        maxZoom: 19,
        attribution: config.tileAttribution || '',
      }).addTo(map);
    }
    return map;
  }

  /** A round marker coloured by state. */
  function icon(state) {
    return L.divIcon({
      className: `marker marker-${state}`,
      iconSize: [16, 16],
      iconAnchor: [8, 8],
      popupAnchor: [0, -8],
      html: '',
    });
  }

  function deviceUrl(id) {
    return `/devices/${encodeURIComponent(id)}`;
  }

  function showError(message) {
    const box = document.getElementById('error');
    if (!box) return;
    box.hidden = !message;
    box.textContent = message || '';
  }

  return { STATE_LABELS, el, getJson, age, time, when, clock, speed, position, makeMap, icon, deviceUrl, showError };
})();
