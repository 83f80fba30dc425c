// The SRE page: live watches (polled each second) and decisions (history + Server-Sent Events).
// Every call carries the bearer token typed into the page; it is kept in sessionStorage only (this tab),
// and the stream is read with fetch so the token travels in a header, never in a URL.
'use strict';

const $ = (sel) => document.querySelector(sel);
const fmt = (v, unit) => (v === null || v === undefined) ? 'no data' : `${Math.round(v * 100) / 100}${unit ? ' ' + unit : ''}`;
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const seen = new Set();
const TOKEN_KEY = 'runway.token';
let streamAbort = null;
let retryTimer = null;

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

function authorized(init = {}) {
  return { ...init, headers: { ...(init.headers || {}), Authorization: 'Bearer ' + token() } };
}

function setStatus(state, text) {
  const status = $('#stream-status');
  status.dataset.state = state;
  status.textContent = text;
}

// 401: no or bad token; 403: the token's roles do not allow reading. Both stop the page until the next sign-in.
async function refused(res) {
  if (res.status !== 401 && res.status !== 403) return false;
  let detail = '';
  try { detail = (await res.json()).detail || ''; } catch (e) { /* not a problem document */ }
  setStatus('unauthorized', res.status === 401 ? 'sign in' : 'forbidden');
  $('#auth-status').textContent = `${res.status}: ${detail}`;
  stopStream();
  return true;
}

function filters() {
  const form = new FormData($('#filter'));
  return { environment: form.get('environment') || '', project: (form.get('project') || '').trim(),
    deploymentId: (form.get('deploymentId') || '').trim() };
}

function matches(d) {
  const f = filters();
  return (!f.environment || d.environment === f.environment) && (!f.deploymentId || d.deploymentId === f.deploymentId)
    && (!f.project || (d.project || '').toLowerCase() === f.project.toLowerCase());
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
    <h3>${esc(d.kind)} ${d.priority ? '· ' + esc(d.priority) : ''} · ${d.client ? esc(d.client) + '/' : ''}${esc(d.project)} ${esc(d.version)} · ${esc(d.step)}</h3>
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
  if (f.project) q.set('project', f.project);
  if (f.deploymentId) q.set('deploymentId', f.deploymentId);
  const res = await fetch('decisions?' + q, authorized());
  if (await refused(res) || !res.ok) return;
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
    <h3>${w.client ? esc(w.client) + '/' : ''}${esc(w.project)} ${esc(w.version)} · ${esc(w.step)} · ${esc(w.phase)} · ${esc(w.trafficPercent)} % traffic</h3>
    <p class="meta">${esc(w.environment)} · deployment ${esc(w.deploymentId)} · ${esc(w.state)} · ${esc(w.samples)} samples
      · window ends ${esc(w.windowEndsAt)}</p>
    <table><tr><th>component</th><th>metric</th><th>now</th><th>breach if</th><th>data coverage</th><th>detail</th></tr>${rows}</table>
  </article>`;
}

async function pollWatches() {
  try {
    if (token()) {
      const res = await fetch('watches', authorized());
      if (res.ok) {
        const watches = await res.json();
        $('#watch-count').textContent = `(${watches.length})`;
        $('#watches').innerHTML = watches.length ? watches.map(watchHtml).join('') : '<p class="empty">No watch running.</p>';
      } else {
        await refused(res);
      }
    }
  } catch (e) { /* the next poll tries again */ }
  setTimeout(pollWatches, 1000);
}

function stopStream() {
  if (streamAbort) streamAbort.abort();
  streamAbort = null;
  clearTimeout(retryTimer);
}

// One Server-Sent Events message ("event:", "data:" lines up to a blank line); comments (":") are keep-alives.
function dispatch(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  if (name === 'hello') { setStatus('live', 'live'); $('#auth-status').textContent = ''; }
  else if (name === 'decision' && data.length) addDecision(JSON.parse(data.join('\n')), true);
}

async function connect() {
  stopStream();
  if (!token()) { setStatus('signed-out', 'sign in'); return; }
  const abort = new AbortController();
  streamAbort = abort;
  setStatus('connecting', 'connecting…');
  try {
    const res = await fetch('decisions/stream', authorized({ headers: { Accept: 'text/event-stream' }, signal: abort.signal }));
    if (await refused(res)) return;
    if (!res.ok || !res.body) throw new Error('stream answered ' + res.status);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        dispatch(block);
      }
    }
  } catch (e) {
    if (abort.signal.aborted) return;
  }
  if (streamAbort !== abort) return;
  // Ended or failed: try again, as EventSource would, after history catches up with what was missed.
  setStatus('down', 'reconnecting…');
  retryTimer = setTimeout(() => loadHistory().finally(connect), 2000);
}

function signIn(value) {
  const t = (value || '').trim();
  if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY);
  $('#token').value = '';
  $('#auth-status').textContent = '';
  loadHistory().finally(connect);
}

$('#signin').addEventListener('submit', (e) => { e.preventDefault(); signIn($('#token').value); });
$('#signout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  stopStream();
  seen.clear();
  $('#decisions').innerHTML = '<p class="empty">No decision yet.</p>';
  $('#watches').innerHTML = '<p class="empty">No watch running.</p>';
  setStatus('signed-out', 'sign in');
});
$('#filter').addEventListener('submit', (e) => { e.preventDefault(); loadHistory(); });
if (token()) loadHistory().finally(connect); else setStatus('signed-out', 'sign in');
pollWatches();
