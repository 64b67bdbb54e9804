// Charts for the reports: a Vega-Lite spec compiled and rendered headless to SVG.

import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

export async function renderSvg(spec) {
  const { spec: compiled } = vegaLite.compile(spec);
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
