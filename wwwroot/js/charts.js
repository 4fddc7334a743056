// Draws the charts of a page with uPlot. Each <figure data-chart> carries its data in a
// <script type="application/json"> child: {"x": [unix seconds...], "series": [{"label": "...", "values": [...]}]}.
// data-x-time="false" makes x a plain number (a training step). A series with "points": true is drawn as dots: a
// held-out value measured once at the end has a single point, which a line would not show. Null values are gaps.
const palette = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1"];

export function drawCharts(root = document) {
  for (const figure of root.querySelectorAll("figure[data-chart]")) {
    if (figure.dataset.drawn) continue;
    const spec = JSON.parse(figure.querySelector('script[type="application/json"]').textContent);
    const options = {
      width: Math.max(figure.clientWidth, 320),
      height: Number(figure.dataset.height ?? 220),
      scales: { x: { time: figure.dataset.xTime !== "false" } },
      series: [{}, ...spec.series.map((s, i) => ({
        label: s.label,
        stroke: palette[i % palette.length],
        width: 2,
        ...(s.points ? { points: { show: true, size: 9, fill: palette[i % palette.length] } } : {}),
      }))],
    };
    new uPlot(options, [spec.x, ...spec.series.map(s => s.values)], figure);
    figure.dataset.drawn = "1";
  }
}

drawCharts();
document.body.addEventListener("htmx:afterSwap", e => drawCharts(e.target));
