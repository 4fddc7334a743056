// The annotator workspace: collects the answer of the view on the page, submits it once (a retry reuses the same
// idempotency key, so the server stores one label), measures time on task from display to submit, and drives the
// keyboard: Enter submits, g or ? opens the guidelines, s skips, p goes back to the previous answer.
import { pairwiseView } from './pairwise.js';
import { rankingView } from './ranking.js';
import { spanView } from './span.js';
import { principleView } from './principle.js';

const shownAt = performance.now();
const workspace = document.getElementById('workspace');
const guidelines = document.getElementById('guidelines');
const views = { pairwise: pairwiseView, ranking: rankingView, span: spanView, principle: principleView };
const view = workspace ? views[workspace.dataset.kind](workspace) : null;
const idempotencyKey = newKey();
const shownOrder = workspace
  ? [...workspace.querySelectorAll('.shown-response')].map(el => Number(el.dataset.responseId))
  : [];
let busy = false;

function newKey() {
  // A version 4 UUID; crypto.getRandomValues works on plain http too, unlike crypto.randomUUID.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map(x => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function antiforgeryToken() {
  return JSON.parse(document.body.getAttribute('hx-headers') || '{}').RequestVerificationToken;
}

function post(url, body) {
  return fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': antiforgeryToken() },
    body: JSON.stringify(body),
  });
}

function status(text, tone) {
  const el = document.getElementById('status');
  el.textContent = text;
  el.className = `ms-2 text-${tone}`;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function submit() {
  if (busy || !view) return;
  let answer;
  try {
    answer = view.answer();
  } catch (e) {
    status(e.message, 'danger');
    return;
  }
  busy = true;
  const body = {
    idempotencyKey,
    timeSpentMs: Math.round(performance.now() - shownAt),
    shownOrder,
    rationale: view.rationale ? view.rationale() : null,
    [workspace.dataset.kind]: answer,
  };
  status('Saving…', 'muted');
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await post(workspace.dataset.submitUrl, body);
    } catch {
      if (attempt < 3) { await sleep(500 * 2 ** attempt); continue; }
      status('No connection: nothing is confirmed yet. Press Enter to try again; the label will be stored once.', 'danger');
      busy = false;
      return;
    }
    if (response.ok) {
      const receipt = await response.json();
      workspace.dataset.saved = receipt.alreadyStored ? 'already' : 'stored';
      status(receipt.message, 'success');
      setTimeout(() => location.assign(workspace.dataset.nextUrl), 300);
      return;
    }
    const problem = await response.json().catch(() => ({}));
    status(problem.detail || problem.title || `The server answered ${response.status}.`, 'danger');
    busy = false;
    return;
  }
}

async function skip() {
  const reason = document.getElementById('skip-reason').value.trim();
  const response = await post(workspace.dataset.skipUrl, { reason: reason || null });
  if (response.ok) { location.assign(workspace.dataset.nextUrl); return; }
  const problem = await response.json().catch(() => ({}));
  document.getElementById('skip-dialog').close();
  status(problem.detail || `The server answered ${response.status}.`, 'danger');
}

// Keep the lease while the annotator is working: renew every two minutes when there was input since the last renewal.
let active = false;
['keydown', 'mousedown', 'mousemove', 'scroll'].forEach(type => document.addEventListener(type, () => { active = true; }, { passive: true }));
if (workspace?.dataset.renewUrl) {
  setInterval(async () => {
    if (!active || busy) return;
    active = false;
    try {
      const response = await post(workspace.dataset.renewUrl, {});
      if (response.status === 409) status('Your lease on this task ended; submitting still works while the task needs your label.', 'warning');
    } catch { /* offline for a moment: the next renewal or the submit will tell */ }
  }, 120_000);
}

function openGuidelines() {
  if (guidelines && !guidelines.open) guidelines.showModal();
}

document.addEventListener('click', e => {
  const action = e.target.closest('[data-action]')?.dataset.action;
  switch (action) {
    case 'guidelines': openGuidelines(); break;
    case 'submit': submit(); break;
    case 'skip': document.getElementById('skip-dialog').showModal(); break;
    case 'confirm-skip': skip(); break;
    case 'close-skip': document.getElementById('skip-dialog').close(); break;
  }
});

document.addEventListener('keydown', e => {
  if (e.defaultPrevented || e.ctrlKey && e.key !== 'Enter' || e.altKey || e.metaKey) return;
  if (document.querySelector('dialog[open]')) return; // Esc closes a dialog; keys belong to it meanwhile
  const target = e.target;
  if (target.closest && target.closest('#span-popover')) return;
  const inTextarea = target.matches('textarea');
  const typing = inTextarea || target.matches('input:not([type]), input[type=text], input[type=search], select');
  if (e.key === 'Enter') {
    if (target.matches('button, a') || (inTextarea && !e.ctrlKey)) return;
    e.preventDefault();
    submit();
    return;
  }
  if (typing) return;
  if (e.key === 'g' || e.key === '?') { e.preventDefault(); openGuidelines(); return; }
  if (e.key === 'p') { const back = document.querySelector('[data-action=previous]'); if (back) { e.preventDefault(); location.assign(back.href); } return; }
  if (!workspace) return;
  if (e.key === 's' && workspace.dataset.skipUrl) { e.preventDefault(); document.getElementById('skip-dialog').showModal(); return; }
  if (view.key && view.key(e)) e.preventDefault();
});
