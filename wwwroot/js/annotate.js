// What the workspace needs from the browser alone; the page itself is a Blazor component on the circuit.
// - keys: Blazor cannot listen on the whole document, nor refuse a key's default (scrolling) only when it is used;
//   the keys of docs/annotating.md are caught here and handed to the component.
// - selection offsets: a mouse selection in a response, in UTF-16 code units ([start, end) of the text, what a
//   JavaScript string and a .NET string both count), measured as the length of the text before each end.
// - activity: the lease is renewed only while the annotator is doing something.
// - the "submit pressed" mark: written here, before the submit leaves the browser, so that a page whose answer to
//   a submit was lost (circuit gone, tab reloaded) knows to send the kept draft again, with the same key.
const handledKeys = new Set(['Enter', 'g', '?', 's', 'p', '1', '2', '3', '4', '5', '6', '7', '8', '9',
  'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'x', 't', 'y', 'n', 'a', 'j', 'k']);

const markKey = root => `ps-submitted:${root.dataset.submitMark}`;

function markSubmitted(root) {
  if (root.dataset.draftTarget) localStorage.setItem(markKey(root), root.dataset.draftTarget);
}

function typingIn(target) {
  return target.closest && target.closest('input, textarea, select, [contenteditable=true]');
}

function offsetIn(container, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(container);
  range.setEnd(node, offset);
  return range.toString().length;
}

export function attach(root, dotnet, renewMs) {
  let active = false;

  function onKey(e) {
    if (e.defaultPrevented || e.altKey || e.metaKey || (e.ctrlKey && e.key !== 'Enter')) return;
    if (!handledKeys.has(e.key) || !root.isConnected) return;
    // Without a task on screen only the keys that lead somewhere count (the guidelines, the previous answer).
    if (!root.querySelector('[data-testid=workspace], [data-testid=intro]') && !['g', '?', 'p'].includes(e.key)) return;
    if (document.querySelector('.mud-dialog-container, .mud-overlay-dialog')) return; // a dialog owns the keys
    const target = e.target;
    if (target.closest && target.closest('[data-keys=local]')) return;
    const field = typingIn(target);
    if (e.key === 'Enter') {
      if (target.closest && target.closest('button, a, [role=button]')) return;
      if (field && field.matches('textarea') && !e.ctrlKey) return;
      if (field && field.matches('select')) return;
      markSubmitted(root);
    } else if (field) {
      return;
    }
    e.preventDefault();
    dotnet.invokeMethodAsync('OnKey', e.key, e.shiftKey).catch(() => { /* circuit down: Blazor's reconnect notice says so */ });
  }

  function onClick(e) {
    if (e.target.closest && e.target.closest('[data-action=submit]')) markSubmitted(root);
  }

  function onMouseUp(e) {
    const container = e.target.closest && e.target.closest('.span-text');
    if (!container) return;
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return;
    const start = offsetIn(container, range.startContainer, range.startOffset);
    const end = offsetIn(container, range.endContainer, range.endOffset);
    selection.removeAllRanges();
    dotnet.invokeMethodAsync('OnTextSelected', Number(container.dataset.responseId), start, end).catch(() => { });
  }

  const onActivity = () => { active = true; };
  const activity = ['keydown', 'mousedown', 'mousemove', 'scroll', 'touchstart'];
  document.addEventListener('keydown', onKey);
  document.addEventListener('click', onClick, true);
  root.addEventListener('mouseup', onMouseUp);
  activity.forEach(type => document.addEventListener(type, onActivity, { passive: true, capture: true }));
  const timer = setInterval(() => {
    if (!active) return;
    active = false;
    dotnet.invokeMethodAsync('OnActive').catch(() => { /* circuit down for a moment: the next round or the submit will tell */ });
  }, renewMs);

  return {
    dispose() {
      clearInterval(timer);
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onClick, true);
      root.removeEventListener('mouseup', onMouseUp);
      activity.forEach(type => document.removeEventListener(type, onActivity, { capture: true }));
    },
  };
}

// The draft target whose submit was pressed and not yet answered, or null.
export function submittedTarget(mark) {
  return localStorage.getItem(`ps-submitted:${mark}`);
}

export function clearSubmitted(mark) {
  localStorage.removeItem(`ps-submitted:${mark}`);
}
