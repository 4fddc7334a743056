// Span view: select text of a response with the mouse; a popover picks the error type, severity and comment.
// Offsets are UTF-16 code units, [start, end), as .NET counts them: a JavaScript string's length is in the same
// units, and a selection is never allowed to split a surrogate pair. Highlights are built from text nodes only,
// so the response text stays text whatever it contains.
export function spanView(root) {
  const view = root.querySelector('[data-view=span]');
  const labels = new Map(JSON.parse(view.dataset.labels).map(l => [l.id, l]));
  const spans = JSON.parse(view.dataset.spans);
  const containers = new Map([...view.querySelectorAll('.span-text')].map(el => [Number(el.dataset.responseId), el]));
  const texts = new Map([...containers].map(([id, el]) => [id, el.textContent]));
  const letters = new Map([...view.querySelectorAll('.shown-response')].map(el =>
    [Number(el.dataset.responseId), el.querySelector('.card-header').textContent.replace('Response ', '')]));
  const popover = view.querySelector('#span-popover');
  const list = view.querySelector('#span-list');
  const labelSelect = popover.querySelector('#span-label');
  const severitySelect = popover.querySelector('#span-severity');
  const comment = popover.querySelector('#span-comment');
  let pending = null; // { responseId, start, end, index } (index set when editing a marked span)

  const isLow = c => c >= 0xdc00 && c <= 0xdfff;

  function offsetIn(container, node, offset) {
    const range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function render() {
    for (const [id, container] of containers) {
      const text = texts.get(id);
      const own = spans.map((s, index) => ({ ...s, index })).filter(s => s.responseId === id).sort((a, b) => a.start - b.start);
      container.replaceChildren();
      let at = 0;
      for (const s of own) {
        if (s.start > at) container.append(document.createTextNode(text.slice(at, s.start)));
        const mark = document.createElement('mark');
        mark.className = `span-mark label-${[...labels.keys()].indexOf(s.labelId) % 6}`;
        mark.dataset.index = String(s.index);
        mark.title = describe(s);
        mark.textContent = text.slice(s.start, s.end);
        container.append(mark);
        at = s.end;
      }
      if (at < text.length) container.append(document.createTextNode(text.slice(at)));
    }
    list.replaceChildren(...spans.map((s, index) => {
      const li = document.createElement('li');
      li.className = 'list-group-item d-flex align-items-center gap-2 small';
      li.dataset.index = String(index);
      const what = document.createElement('span');
      what.className = 'me-auto';
      what.textContent = `${letters.get(s.responseId) ?? ''} “${texts.get(s.responseId).slice(s.start, s.end)}” · ${describe(s)}`;
      const edit = button('Edit', 'btn-outline-secondary', () => openFor({ ...s, index }, list));
      const remove = button('Remove', 'btn-outline-danger', () => { spans.splice(index, 1); render(); });
      li.append(what, edit, remove);
      return li;
    }));
  }

  function describe(s) {
    const severity = ['', 'minor', 'major', 'critical'][s.severity ?? 0];
    return [labels.get(s.labelId)?.name, severity, s.comment].filter(Boolean).join(' · ');
  }

  function button(text, tone, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `btn btn-sm ${tone}`;
    b.textContent = text;
    b.addEventListener('click', onClick);
    return b;
  }

  function openFor(span, anchor) {
    pending = span;
    popover.querySelector('#span-quote').textContent = texts.get(span.responseId).slice(span.start, span.end);
    if (span.index !== undefined) {
      labelSelect.value = String(span.labelId);
      severitySelect.value = span.severity ? String(span.severity) : '';
      comment.value = span.comment ?? '';
    } else {
      comment.value = '';
    }
    syncSeverity();
    popover.querySelector('#span-remove').hidden = span.index === undefined;
    const rect = (anchor instanceof Range ? anchor : anchor).getBoundingClientRect();
    popover.hidden = false;
    popover.style.top = `${window.scrollY + rect.bottom + 6}px`;
    popover.style.left = `${window.scrollX + Math.max(8, Math.min(rect.left, window.innerWidth - 320))}px`;
    labelSelect.focus();
  }

  function close() {
    if (popover.contains(document.activeElement)) document.activeElement.blur();
    popover.hidden = true;
    pending = null;
  }

  function syncSeverity() {
    const usesSeverity = labels.get(Number(labelSelect.value))?.usesSeverity;
    severitySelect.disabled = !usesSeverity;
  }

  function save() {
    if (!pending) return;
    const label = labels.get(Number(labelSelect.value));
    const span = {
      responseId: pending.responseId,
      start: pending.start,
      end: pending.end,
      labelId: label.id,
      severity: label.usesSeverity && severitySelect.value ? Number(severitySelect.value) : null,
      comment: comment.value.trim() || null,
    };
    if (pending.index !== undefined) spans[pending.index] = span; else spans.push(span);
    close();
    render();
  }

  view.addEventListener('mouseup', e => {
    const container = e.target.closest('.span-text');
    if (!container) return;
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) {
      const mark = e.target.closest('.span-mark');
      if (mark) { const index = Number(mark.dataset.index); openFor({ ...spans[index], index }, mark); }
      return;
    }
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return;
    const responseId = Number(container.dataset.responseId);
    const text = texts.get(responseId);
    let start = offsetIn(container, range.startContainer, range.startOffset);
    let end = offsetIn(container, range.endContainer, range.endOffset);
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (start < text.length && isLow(text.charCodeAt(start))) start--;
    if (end < text.length && isLow(text.charCodeAt(end))) end++;
    if (end <= start) return;
    const overlap = spans.findIndex(s => s.responseId === responseId && s.start < end && start < s.end);
    if (overlap >= 0) {
      document.getElementById('status').textContent = 'That stretch overlaps a marked span: edit or remove that one instead.';
      return;
    }
    openFor({ responseId, start, end }, range);
    selection.removeAllRanges();
  });

  labelSelect.addEventListener('change', syncSeverity);
  popover.querySelector('#span-save').addEventListener('click', save);
  popover.querySelector('#span-cancel').addEventListener('click', close);
  popover.querySelector('#span-remove').addEventListener('click', () => {
    if (pending?.index !== undefined) spans.splice(pending.index, 1);
    close();
    render();
  });
  popover.addEventListener('keydown', e => {
    if (e.key === 'Enter') { e.preventDefault(); save(); }
    if (e.key === 'Escape') { e.preventDefault(); close(); }
  });
  render();

  return {
    answer() {
      if (!popover.hidden) throw new Error('Finish the open span first: Mark or Cancel.');
      const flags = [...view.querySelectorAll('.response-flag:checked')]
        .map(cb => ({ responseId: Number(cb.dataset.responseId), flag: cb.value }));
      return { spans: spans.map(s => ({ ...s })), flags };
    },
  };
}
