// Principle view: one row per (response, principle). ↑ ↓ (or k j) move between rows; y, n, a answer yes, no or
// not applicable and move to the next row.
export function principleView(root) {
  const rows = [...root.querySelectorAll('.principle-row')];
  let at = 0;
  const select = i => {
    at = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach((row, k) => row.classList.toggle('selected', k === at));
    rows[at].focus();
  };
  rows.forEach((row, i) => row.addEventListener('focusin', () => { at = i; rows.forEach((r, k) => r.classList.toggle('selected', k === i)); }));
  const values = { y: '1', n: '0', a: '2' };

  return {
    answer() {
      const verdicts = rows.map((row, i) => {
        const checked = row.querySelector('input[type=radio]:checked');
        if (!checked) {
          select(i);
          throw new Error(`Answer every principle for every response: row ${i + 1} of ${rows.length} is still open.`);
        }
        const evidence = row.querySelector('.evidence').value.trim();
        return {
          responseId: Number(row.dataset.responseId),
          principleId: Number(row.dataset.principleId),
          verdict: Number(checked.value),
          evidence: evidence || null,
        };
      });
      return { verdicts };
    },
    key(e) {
      if (e.key === 'ArrowDown' || e.key === 'j') { select(at + 1); return true; }
      if (e.key === 'ArrowUp' || e.key === 'k') { select(at - 1); return true; }
      if (values[e.key]) {
        rows[at].querySelector(`input[type=radio][value="${values[e.key]}"]`).checked = true;
        select(at + 1);
        return true;
      }
      return false;
    },
  };
}
