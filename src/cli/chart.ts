// The loss curves as an SVG file, drawn by vega-lite without a browser. vega is
// large, so it is loaded only when a chart is drawn.

export interface LossCurves {
  title: string;
  subtitle: string;
  /**
   * What the loss is, for the y axis title. Keep it under about 30 characters: without
   * a canvas, vega estimates text widths generously, and a longer rotated title pushes
   * the chart's title away from the plot.
   */
  lossLabel: string;
  /** 0-based epochs, with the training loss after each and the validation loss when there is one. */
  epochs: readonly number[];
  loss: readonly number[];
  valLoss: readonly number[];
}

const SERIES = [
  { name: 'Training', colour: '#1f77b4' },
  { name: 'Validation', colour: '#e4572e' },
];

/**
 * The vega-lite specification: one line per series, epochs on x, the loss on a log
 * scale. A log scale cannot place a loss of 0 (a model that fits its targets exactly,
 * a constant target say): when every loss is 0 the chart draws them on a linear scale
 * and says why; when only some are, it says which epochs it leaves out.
 */
export function lossChartSpec(curves: LossCurves): Record<string, unknown> {
  const points = curves.epochs.flatMap((epoch, i) => {
    const at = [{ epoch: epoch + 1, series: SERIES[0].name, loss: curves.loss[i] }];
    if (i < curves.valLoss.length) at.push({ epoch: epoch + 1, series: SERIES[1].name, loss: curves.valLoss[i] });
    return at.filter((p) => Number.isFinite(p.loss) && p.loss >= 0);
  });
  const positive = points.filter((p) => p.loss > 0);
  const allZero = positive.length === 0 && points.length > 0;
  const values = allZero ? points : positive;
  const notes: string[] = [];
  if (allZero) {
    notes.push('Every loss is 0: the model fits these targets exactly (a constant target does that).');
  } else if (positive.length < points.length) {
    const zeroEpochs = [...new Set(points.filter((p) => p.loss === 0).map((p) => p.epoch))];
    notes.push(
      `A loss of 0 has no place on a log scale: not drawn at epoch${zeroEpochs.length > 1 ? 's' : ''} ${listEpochs(zeroEpochs)}.`,
    );
  }
  const series = SERIES.filter((s) => values.some((v) => v.series === s.name));
  const losses = values.map((v) => v.loss);
  // Over many decades, plain decimals grow unreadable (0.000001): use exponents.
  const manyDecades = Math.max(...losses) / Math.min(...losses) > 1e4;
  const y = allZero
    ? { title: curves.lossLabel, scale: { type: 'linear', domain: [0, 1], padding: 12 }, axis: { format: '~g' } }
    : {
        title: `${curves.lossLabel} (log scale)`,
        scale: { type: 'log', nice: false, padding: 12 },
        axis: { format: manyDecades ? '.0e' : '~g' },
      };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    height: 340,
    background: 'white',
    // Without a canvas, vega over-estimates text widths, and automatic sizing would
    // leave wide empty margins; fixed margins fit the real text.
    autosize: { type: 'none' },
    // A subtitle line of notes takes about 16 pixels more.
    padding: { left: 84, right: 24, top: 72 + 16 * notes.length, bottom: 52 },
    title: {
      text: curves.title,
      subtitle: [curves.subtitle, ...notes],
      anchor: 'start',
      fontSize: 16,
      subtitleFontSize: 12,
      offset: 14,
    },
    data: { values },
    mark: { type: 'line', strokeWidth: 2, point: curves.epochs.length <= 60 ? { size: 28, filled: true } : false },
    encoding: {
      x: {
        field: 'epoch',
        type: 'quantitative',
        title: 'Epoch',
        scale: { domainMin: 1, nice: false, padding: 8 },
        axis: { format: 'd', tickMinStep: 1, grid: false },
      },
      y: { field: 'loss', type: 'quantitative', ...y },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: series.map((s) => s.name), range: series.map((s) => s.colour) },
        legend: { orient: 'top-right', labelFontSize: 12, fillColor: 'white', strokeColor: '#ddd', padding: 8 },
      },
    },
    config: {
      font: 'Helvetica, Arial, sans-serif',
      axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
      view: { stroke: '#ddd' },
    },
  };
}

function listEpochs(epochs: readonly number[]): string {
  return epochs.length > 8 ? `${epochs.slice(0, 8).join(', ')}, …` : epochs.join(', ');
}

export async function renderLossChart(curves: LossCurves): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(lossChartSpec(curves) as unknown as Parameters<typeof vegaLite.compile>[0]);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
