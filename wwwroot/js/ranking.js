// Ranking view: best first. Drag and drop with SortableJS, or ↑ ↓ to select and Shift+↑ ↓ to move; t ties the
// selected response with the one above (where the project allows ties). Tied responses share a rank: 1, 1, 3.
export function rankingView(root) {
  const list = root.querySelector('#ranking');
  const ties = list.dataset.ties === 'true';
  const items = () => [...list.querySelectorAll('.ranking-item')];
  let selected = items()[0];

  function ranks() {
    let rank = 0;
    return items().map((li, i) => {
      if (!(ties && i > 0 && li.dataset.tied === 'true')) rank = i + 1;
      return { responseId: Number(li.dataset.responseId), rank };
    });
  }

  function refresh() {
    const r = ranks();
    items().forEach((li, i) => {
      if (i === 0) li.dataset.tied = 'false';
      li.querySelector('.rank-badge').textContent = `#${r[i].rank}`;
      li.classList.toggle('selected', li === selected);
      const tie = li.querySelector('.tie-toggle');
      if (tie) { tie.checked = li.dataset.tied === 'true'; tie.disabled = i === 0; }
    });
  }

  // forceFallback: SortableJS moves the item with pointer events instead of native drag and drop (steadier, and
  // the same with mouse, touch and automation).
  window.Sortable.create(list, { animation: 120, forceFallback: true, onEnd: e => { selected = e.item; refresh(); } });
  list.addEventListener('change', e => {
    const li = e.target.closest('.ranking-item');
    if (e.target.matches('.tie-toggle') && li) { li.dataset.tied = String(e.target.checked); refresh(); }
  });
  list.addEventListener('focusin', e => { const li = e.target.closest('.ranking-item'); if (li) { selected = li; refresh(); } });
  refresh();

  function move(delta) {
    const all = items();
    const i = all.indexOf(selected);
    const j = i + delta;
    if (j < 0 || j >= all.length) return;
    if (delta < 0) list.insertBefore(selected, all[j]); else list.insertBefore(all[j], selected);
    selected.focus();
    refresh();
  }

  return {
    answer: () => ({ entries: ranks() }),
    key(e) {
      if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown' && e.key !== 't') return false;
      if (e.key === 't') {
        if (!ties || selected === items()[0]) return false;
        selected.dataset.tied = selected.dataset.tied === 'true' ? 'false' : 'true';
        refresh();
        return true;
      }
      const delta = e.key === 'ArrowUp' ? -1 : 1;
      if (e.shiftKey) { move(delta); return true; }
      const all = items();
      selected = all[Math.min(all.length - 1, Math.max(0, all.indexOf(selected) + delta))];
      selected.focus();
      refresh();
      return true;
    },
  };
}
