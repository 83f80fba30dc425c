// The SRE page: live watches (polled each second) and decisions (history + Server-Sent Events).
'use strict';

const $ = (sel) => document.querySelector(sel);
const fmt = (v, unit) => (v === null || v === undefined) ? 'no data' : `${Math.round(v * 100) / 100}${unit ? ' ' + unit : ''}`;
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const seen = new Set();

function filters() {
  const form = new FormData($('#filter'));
  return { environment: form.get('environment') || '', deploymentId: (form.get('deploymentId') || '').trim() };
}

function matches(d) {
  const f = filters();
  return (!f.environment || d.environment === f.environment) && (!f.deploymentId || d.deploymentId === f.deploymentId);
}

function sparkline(samples, threshold) {
  const values = samples.map((s) => s.value).filter((v) => v !== null);
  if (values.length === 0) return '<em>every sample: no data</em>';
  const w = 240, h = 40;
  const max = Math.max(...values, threshold ?? 0) || 1;
  const step = samples.length > 1 ? w / (samples.length - 1) : w;
  const pts = samples.map((s, i) => s.value === null ? null : `${(i * step).toFixed(1)},${(h - (s.value / max) * h).toFixed(1)}`)
    .filter((p) => p !== null).join(' ');
  const ty = threshold === null || threshold === undefined ? null : (h - (threshold / max) * h).toFixed(1);
  return `<svg class="spark" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`
    + (ty === null ? '' : `<line x1="0" x2="${w}" y1="${ty}" y2="${ty}" stroke="#d97a00" stroke-dasharray="3 3"/>`)
    + `<polyline fill="none" stroke="#b3261e" stroke-width="1.5" points="${pts}"/></svg>`;
}

function decisionHtml(d) {
  const evidence = d.kind === 'ThresholdBreached'
    ? `<p class="evidence"><strong>${esc(d.metric)}</strong> ${fmt(d.value)} vs threshold ${fmt(d.threshold)}
         for ${esc(d.windowSeconds)} s on ${esc(d.component)} — ${d.samples.length} samples ${sparkline(d.samples, d.threshold)}</p>
       <p class="meta">source: <code>${esc(d.source)}</code></p>
       <details><summary>samples</summary><table><tr><th>at</th><th>value</th></tr>
         ${d.samples.map((s) => `<tr><td>${esc(s.at)}</td><td>${fmt(s.value)}</td></tr>`).join('')}</table></details>`
    : '';
  const action = d.kind === 'RollbackDecided'
    ? `<p><strong>${esc(d.mode)}</strong> rollback, ${esc(d.priority)}${d.timeframeSeconds ? `, act within ${Math.round(d.timeframeSeconds / 60)} min` : ', now'}</p>`
    : '';
  return `<article class="decision kind-${esc(d.kind)}" data-event-id="${esc(d.eventId)}" data-deployment-id="${esc(d.deploymentId)}">
    <h3>${esc(d.kind)} ${d.priority ? '· ' + esc(d.priority) : ''} · ${esc(d.project)} ${esc(d.version)} · ${esc(d.step)}</h3>
    <p class="meta">${esc(d.environment)} · deployment ${esc(d.deploymentId)} · watch ${esc(d.watchId)} · ${esc(d.decidedAt)}</p>
    ${action}
    <p class="reason">${esc(d.reason || d.summary || '')}</p>
    ${evidence}
  </article>`;
}

function addDecision(d, atTop) {
  if (seen.has(d.eventId) || !matches(d)) return;
  seen.add(d.eventId);
  const list = $('#decisions');
  const empty = list.querySelector('.empty');
  if (empty) empty.remove();
  list.insertAdjacentHTML(atTop ? 'afterbegin' : 'beforeend', decisionHtml(d));
}

async function loadHistory() {
  const f = filters();
  const q = new URLSearchParams({ size: '50' });
  if (f.environment) q.set('environment', f.environment);
  if (f.deploymentId) q.set('deploymentId', f.deploymentId);
  const res = await fetch('decisions?' + q);
  if (!res.ok) return;
  const page = await res.json();
  seen.clear();
  $('#decisions').innerHTML = page.items.length ? '' : '<p class="empty">No decision yet.</p>';
  page.items.forEach((d) => addDecision(d, false));
}

function watchHtml(w) {
  const rows = w.series.map((s) => `<tr class="${s.breaching ? 'breaching' : ''}">
      <td>${esc(s.component)}</td><td>${esc(s.metric)}</td><td>${fmt(s.value, s.unit)}</td>
      <td>${s.threshold === null ? '—' : '&gt; ' + fmt(s.threshold, s.unit)}</td>
      <td>${Math.round(s.coveragePercent)} %</td><td>${esc(s.detail)}</td></tr>`).join('');
  return `<article class="watch" data-watch-id="${esc(w.watchId)}">
    <h3>${esc(w.project)} ${esc(w.version)} · ${esc(w.step)} · ${esc(w.phase)} · ${esc(w.trafficPercent)} % traffic</h3>
    <p class="meta">${esc(w.environment)} · deployment ${esc(w.deploymentId)} · ${esc(w.state)} · ${esc(w.samples)} samples
      · window ends ${esc(w.windowEndsAt)}</p>
    <table><tr><th>component</th><th>metric</th><th>now</th><th>breach if</th><th>data coverage</th><th>detail</th></tr>${rows}</table>
  </article>`;
}

async function pollWatches() {
  try {
    const res = await fetch('watches');
    if (res.ok) {
      const watches = await res.json();
      $('#watch-count').textContent = `(${watches.length})`;
      $('#watches').innerHTML = watches.length ? watches.map(watchHtml).join('') : '<p class="empty">No watch running.</p>';
    }
  } catch (e) { /* the next poll tries again */ }
  setTimeout(pollWatches, 1000);
}

function connect() {
  const status = $('#stream-status');
  const source = new EventSource('decisions/stream');
  source.addEventListener('hello', () => { status.dataset.state = 'live'; status.textContent = 'live'; });
  source.addEventListener('decision', (e) => addDecision(JSON.parse(e.data), true));
  source.onerror = () => { status.dataset.state = 'down'; status.textContent = 'reconnecting…'; };
}

$('#filter').addEventListener('submit', (e) => { e.preventDefault(); loadHistory(); });
loadHistory().finally(connect);
pollWatches();
