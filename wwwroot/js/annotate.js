// The annotator workspace: collects the answer of the view on the page, submits it once (a retry reuses the same
// idempotency key, so the server stores one label), measures time on task from display to submit, and drives the
// keyboard: Enter submits, g or ? opens the guidelines, s skips, p goes back to the previous answer.
// After a submit or skip, htmx swaps the next task into #annotate-page (no full page load), and mount() starts the
// new task's view; everything below that reads the page goes through `task`, never a stale element.
import { pairwiseView } from './pairwise.js';
import { rankingView } from './ranking.js';
import { spanView } from './span.js';
import { principleView } from './principle.js';

const views = { pairwise: pairwiseView, ranking: rankingView, span: spanView, principle: principleView };
let task = null; // { workspace, view, shownAt, idempotencyKey, shownOrder, busy } of the task on the page, if any

function mount() {
  const workspace = document.getElementById('workspace');
  task = workspace && {
    workspace,
    view: views[workspace.dataset.kind](workspace),
    shownAt: performance.now(),
    idempotencyKey: newKey(),
    shownOrder: [...workspace.querySelectorAll('.shown-response')].map(el => Number(el.dataset.responseId)),
    busy: false,
  };
  if (workspace) workspace.dataset.ready = 'true';
}

// The next task, swapped in by htmx. Anything that is not an annotate page (the sign-in page once the session has
// ended, an error page) leaves no #annotate-page behind, and then the browser loads the address in full instead.
async function showNext(url) {
  try {
    await htmx.ajax('GET', url, { target: '#annotate-page', select: '#annotate-page', swap: 'outerHTML' });
  } catch { /* network error: the full load below reports it */ }
  if (!document.getElementById('annotate-page') || document.getElementById('workspace')?.dataset.saved) {
    location.assign(url);
    return;
  }
  const address = new URL(url, location.href);
  if (address.href !== location.href) history.replaceState(null, '', address);
  mount();
}

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
  if (!task || task.busy) return;
  const { workspace, view } = task;
  let answer;
  try {
    answer = view.answer();
  } catch (e) {
    status(e.message, 'danger');
    return;
  }
  task.busy = true;
  const body = {
    idempotencyKey: task.idempotencyKey,
    timeSpentMs: Math.round(performance.now() - task.shownAt),
    shownOrder: task.shownOrder,
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
      task.busy = false;
      return;
    }
    if (response.ok) {
      const receipt = await response.json();
      workspace.dataset.saved = receipt.alreadyStored ? 'already' : 'stored';
      status(receipt.message, 'success');
      setTimeout(() => showNext(workspace.dataset.nextUrl), 300);
      return;
    }
    const problem = await response.json().catch(() => ({}));
    status(problem.detail || problem.title || `The server answered ${response.status}.`, 'danger');
    task.busy = false;
    return;
  }
}

async function skip() {
  const reason = document.getElementById('skip-reason').value.trim();
  const { workspace } = task;
  const response = await post(workspace.dataset.skipUrl, { reason: reason || null });
  if (response.ok) { document.getElementById('skip-dialog').close(); await showNext(workspace.dataset.nextUrl); return; }
  const problem = await response.json().catch(() => ({}));
  document.getElementById('skip-dialog').close();
  status(problem.detail || `The server answered ${response.status}.`, 'danger');
}

// Keep the lease while the annotator is working: renew every two minutes when there was input since the last renewal.
let active = false;
['keydown', 'mousedown', 'mousemove', 'scroll'].forEach(type => document.addEventListener(type, () => { active = true; }, { passive: true }));
setInterval(async () => {
  const renewUrl = task?.workspace.dataset.renewUrl;
  if (!renewUrl || !active || task.busy) return;
  active = false;
  try {
    const response = await post(renewUrl, {});
    if (response.status === 409) status('Your lease on this task ended; submitting still works while the task needs your label.', 'warning');
  } catch { /* offline for a moment: the next renewal or the submit will tell */ }
}, 120_000);

function openGuidelines() {
  const guidelines = document.getElementById('guidelines');
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
  if (!task) return;
  if (e.key === 's' && task.workspace.dataset.skipUrl) { e.preventDefault(); document.getElementById('skip-dialog').showModal(); return; }
  if (task.view.key && task.view.key(e)) e.preventDefault();
});

mount();
