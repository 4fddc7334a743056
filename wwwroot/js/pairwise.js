// Pairwise view: keys 1-5 pick a point of the scale, ← → move along it, x toggles "both bad".
export function pairwiseView(root) {
  const view = root.querySelector('[data-view=pairwise]');
  const radios = [...root.querySelectorAll('input[name=preference]')];
  const bothBad = root.querySelector('#both-bad');
  const pick = i => { radios[i].checked = true; radios[i].focus(); };
  const current = () => radios.findIndex(r => r.checked);

  return {
    answer() {
      const chosen = radios.find(r => r.checked);
      if (!chosen) throw new Error('Choose which response is better first (keys 1-5).');
      return {
        responseAId: Number(view.dataset.a),
        responseBId: Number(view.dataset.b),
        preference: Number(chosen.value),
        bothBad: bothBad.checked,
      };
    },
    rationale: () => root.querySelector('#rationale').value || null,
    key(e) {
      if (/^[1-5]$/.test(e.key)) { pick(Number(e.key) - 1); return true; }
      if (e.key === 'ArrowLeft') { pick(Math.max(0, (current() < 0 ? 2 : current()) - 1)); return true; }
      if (e.key === 'ArrowRight') { pick(Math.min(4, (current() < 0 ? 2 : current()) + 1)); return true; }
      if (e.key === 'x') { bothBad.checked = !bothBad.checked; return true; }
      return false;
    },
  };
}
